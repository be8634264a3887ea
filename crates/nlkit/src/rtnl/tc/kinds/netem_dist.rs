//! netem's delay distributions: the tables tc reads from /usr/lib/tc/{normal,pareto,
//! paretonormal}.dist (made at iproute2's build by its netem/ generators, from NISTnet), computed
//! here the same way, so no file is needed (this machine has none). Each is 4096 values of the
//! inverse CDF scaled by NETEM_DIST_SCALE; `uniform` is the kernel's default (no table).

use std::sync::OnceLock;

const SCALE: f64 = 8192.0; // NETEM_DIST_SCALE
const SIZE: usize = 16384; // the generators' TABLESIZE; every 4th entry is kept

/// The x whose normal CDF rounds to each i / SIZE (the last x of a fine walk over [-10, 10]).
fn normal_inverse() -> Vec<f64> {
    let mut t = vec![0.0; SIZE + 1];
    let mut x = -10.0f64;
    while x < 10.05 {
        let cdf = 0.5 + 0.5 * crate::sys::erf(x / std::f64::consts::SQRT_2);
        if let Some(slot) = t.get_mut((SIZE as f64 * cdf).round_ties_even() as usize) {
            *slot = x;
        }
        x += 0.00005;
    }
    t
}

fn clamp16(v: i64) -> i16 {
    v.clamp(i16::MIN as i64, i16::MAX as i64) as i16
}

fn pareto_value(i: u32) -> i64 {
    let d = 1.0 / (i as f64 / 65536.0).powf(1.0 / 3.0) - 1.5;
    (d * ((4.0 / 3.0) * SCALE)).min(32767.0).round_ties_even() as i64
}

fn normal() -> Vec<i16> {
    normal_inverse().iter().take(SIZE).step_by(4).map(|x| clamp16((x * SCALE).round_ties_even() as i64)).collect()
}

fn pareto() -> Vec<i16> {
    (0..4096u32).map(|k| pareto_value(65536 - 16 * k) as i16).collect()
}

fn paretonormal() -> Vec<i16> {
    let n = normal_inverse();
    (0..SIZE).step_by(4).map(|i| clamp16(((n[i] * SCALE).round_ties_even() as i64 + 3 * pareto_value(65536 - 4 * i as u32)) / 4)).collect()
}

/// A named table, computed once; `None` for a name tc has no table for.
pub fn table(name: &str) -> Option<&'static [i16]> {
    static T: [OnceLock<Vec<i16>>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let (i, make): (usize, fn() -> Vec<i16>) = match name {
        "normal" => (0, normal),
        "pareto" => (1, pareto),
        "paretonormal" => (2, paretonormal),
        _ => return None,
    };
    Some(T[i].get_or_init(make))
}

#[cfg(test)]
mod tests {
    #[test]
    fn tables_have_tc_s_shape() {
        for name in ["normal", "pareto", "paretonormal"] {
            let t = super::table(name).unwrap();
            assert_eq!(t.len(), 4096, "{name}");
            assert!(t.windows(2).all(|w| w[0] <= w[1]), "{name} is not monotonic");
        }
        // The first values of tc's normal.dist and pareto.dist.
        assert_eq!(&super::table("normal").unwrap()[..4], &[-32768, -28307, -26871, -25967]);
        assert_eq!(super::table("pareto").unwrap()[0], -5461);
        assert!(super::table("uniform").is_none());
    }
}
