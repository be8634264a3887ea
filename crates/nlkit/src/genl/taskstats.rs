//! Per-task accounting (`TASKSTATS`, uapi linux/taskstats.h): the delays, CPU times, memory
//! and I/O counters of one thread (by pid) or of a whole process (by tgid). Keys are the
//! struct's field names in camelCase without `ac_`; units are the kernel's (delays and run
//! totals in ns, utime/stime/etime in µs, hiwater in KiB, btime in s). Fields a kernel's
//! struct version does not have are left out.

use super::{Call, Decode};
use crate::conn::Mode;
use crate::rtnl::settings::Settings;
use crate::wire;
use crate::{Error, Result};

pub const FAMILY: &str = "TASKSTATS";
const VERSION: u8 = 1;
const CMD_GET: u8 = 1;
const A_PID: u16 = 1;
const A_TGID: u16 = 2;
const T_STATS: u16 = 3;
const T_AGGR_PID: u16 = 4;
const T_AGGR_TGID: u16 = 5;

/// struct taskstats' u64 fields by offset (through version 15; the u32 and u8 ones are read apart).
const U64S: &[(usize, &str)] = &[
    (16, "cpuCount"),
    (24, "cpuDelayTotal"),
    (32, "blkioCount"),
    (40, "blkioDelayTotal"),
    (48, "swapinCount"),
    (56, "swapinDelayTotal"),
    (64, "cpuRunRealTotal"),
    (72, "cpuRunVirtualTotal"),
    (144, "etime"),
    (152, "utime"),
    (160, "stime"),
    (168, "minflt"),
    (176, "majflt"),
    (184, "coremem"),
    (192, "virtmem"),
    (200, "hiwaterRss"),
    (208, "hiwaterVm"),
    (216, "readChar"),
    (224, "writeChar"),
    (232, "readSyscalls"),
    (240, "writeSyscalls"),
    (248, "readBytes"),
    (256, "writeBytes"),
    (264, "cancelledWriteBytes"),
    (272, "nvcsw"),
    (280, "nivcsw"),
    (288, "utimescaled"),
    (296, "stimescaled"),
    (304, "cpuScaledRunRealTotal"),
    (312, "freepagesCount"),
    (320, "freepagesDelayTotal"),
    (328, "thrashingCount"),
    (336, "thrashingDelayTotal"),
    (344, "btime64"),
    (352, "compactCount"),
    (360, "compactDelayTotal"),
    (376, "tgetime"),
    (384, "exeDev"),
    (392, "exeInode"),
    (400, "wpcopyCount"),
    (408, "wpcopyDelayTotal"),
    (416, "irqCount"),
    (424, "irqDelayTotal"),
    // Version 15 appends each delay's max and min (the maxima's timestamps after them, v16,
    // are left out).
    (432, "cpuDelayMax"),
    (440, "cpuDelayMin"),
    (448, "blkioDelayMax"),
    (456, "blkioDelayMin"),
    (464, "swapinDelayMax"),
    (472, "swapinDelayMin"),
    (480, "freepagesDelayMax"),
    (488, "freepagesDelayMin"),
    (496, "thrashingDelayMax"),
    (504, "thrashingDelayMin"),
    (512, "compactDelayMax"),
    (520, "compactDelayMin"),
    (528, "wpcopyDelayMax"),
    (536, "wpcopyDelayMin"),
    (544, "irqDelayMax"),
    (552, "irqDelayMin"),
];
const U32S: &[(usize, &str)] = &[(4, "exitcode"), (120, "uid"), (124, "gid"), (128, "pid"), (132, "ppid"), (136, "btime"), (368, "tgid")];
const COMM: std::ops::Range<usize> = 80..112;

/// Whose statistics: one thread, or every thread of a process together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Pid(u32),
    Tgid(u32),
}

pub fn get(task: Task) -> Result<Call> {
    let (attr, id) = match task {
        Task::Pid(p) => (A_PID, p),
        Task::Tgid(t) => (A_TGID, t),
    };
    if id == 0 {
        return Err(Error::invalid("pid must be a positive number"));
    }
    let mut b = wire::MsgBuilder::new(0, 0);
    b.attr_u32(attr, id);
    let body = b.finish().split_off(wire::NLMSG_HDRLEN);
    Ok(Call { cmd: CMD_GET, version: VERSION, flags: 0, body, mode: Mode::Get, decode: Decode::Taskstats })
}

/// The reply: TASKSTATS_TYPE_AGGR_PID or _TGID, holding the id and the struct. A process's
/// (tgid) struct is a sum over its threads of the delays, CPU times, elapsed time and context
/// switches only (fill_stats_for_tgid): its other fields are zeros, left out here.
pub fn decode(attrs: &[u8]) -> Option<Settings> {
    let (ty, aggr) = super::table::attrs(attrs).find(|(t, _)| *t == T_AGGR_PID || *t == T_AGGR_TGID)?;
    let (_, st) = super::table::attrs(aggr).find(|(t, _)| *t == T_STATS)?;
    let mut s = stats(st);
    if ty == T_AGGR_TGID {
        s.0.retain(|(k, _)| k == "version" || SUMMED.contains(&k.as_str()) || k.contains("Delay") || k.ends_with("Count"));
        if let Some(tgid) = super::table::attrs(aggr).find(|(t, _)| *t == A_TGID).and_then(|(_, v)| wire::attr_u32(v)) {
            s.set_int("tgid", tgid);
        }
    }
    Some(s)
}

/// What a process's struct sums besides the delays (`*Count`, `*Delay*`).
const SUMMED: &[&str] = &["cpuRunRealTotal", "cpuRunVirtualTotal", "etime", "utime", "stime", "nvcsw", "nivcsw"];

/// struct taskstats, as long as the kernel's version of it is (a shorter one stops early).
pub fn stats(b: &[u8]) -> Settings {
    let mut s = Settings::new();
    if b.len() >= 2 {
        s.set_int("version", wire::u16_at(b, 0));
    }
    let mut fields: Vec<(usize, &str, i64)> = Vec::new();
    fields.extend(U32S.iter().filter(|(o, _)| o + 4 <= b.len()).map(|(o, k)| (*o, *k, wire::u32_at(b, *o) as i64)));
    fields.extend(U64S.iter().filter(|(o, _)| o + 8 <= b.len()).map(|(o, k)| (*o, *k, wire::attr_u64(&b[*o..]).unwrap_or(0) as i64)));
    for (o, k) in [(8, "flag"), (9, "nice"), (112, "sched")] {
        if let Some(&v) = b.get(o) {
            fields.push((o, k, if k == "nice" { v as i8 as i64 } else { v as i64 }));
        }
    }
    fields.sort_by_key(|f| f.0);
    for (o, k, v) in fields {
        if o == 112 {
            if let Some(c) = b.get(COMM) {
                s.set_str("comm", wire::attr_str(c));
            }
        }
        s.set_int(k, v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;

    #[test]
    fn request_and_struct_layout() {
        let c = get(Task::Pid(42)).unwrap();
        assert_eq!(c.body, [8, 0, 1, 0, 42, 0, 0, 0]);
        assert!(get(Task::Tgid(0)).is_err());
        let mut st = vec![0u8; 432];
        st[0] = 14;
        st[80..84].copy_from_slice(b"node");
        st[128..132].copy_from_slice(&7u32.to_ne_bytes());
        st[152..160].copy_from_slice(&1500u64.to_ne_bytes());
        st[424..432].copy_from_slice(&9u64.to_ne_bytes());
        st[9] = 0xfb; // nice -5
        let mut b = wire::MsgBuilder::new(0, 0);
        let at = b.nest_start(T_AGGR_TGID);
        b.attr_u32(A_TGID, 7).attr(T_STATS, &st);
        b.nest_end(at);
        let a = b.finish().split_off(wire::NLMSG_HDRLEN);
        let s = decode(&a).unwrap();
        assert_eq!(s.get("version"), Some(&Value::Int(14)));
        assert_eq!(s.get("comm"), None, "a process's sum has no comm");
        assert_eq!(s.get("tgid"), Some(&Value::Int(7)));
        let s = stats(&st);
        assert_eq!(s.get("comm"), Some(&Value::Str("node".into())));
        assert_eq!(s.get("pid"), Some(&Value::Int(7)));
        assert_eq!(s.get("utime"), Some(&Value::Int(1500)));
        assert_eq!(s.get("nice"), Some(&Value::Int(-5)));
        assert_eq!(s.get("irqDelayTotal"), Some(&Value::Int(9)));
        // Version 13's shorter struct: the fields it has, no more.
        let s = stats(&st[..416]);
        assert_eq!(s.get("irqCount"), None);
        assert_eq!(s.get("wpcopyDelayTotal"), Some(&Value::Int(0)));
        for n in 0..a.len() {
            decode(&a[..n]);
        }
    }
}
