//! Qdisc and class kinds: one module per kind.

mod cake;
mod cake_stats;
mod fifo;
mod fq;
mod fq_codel;
mod hfsc;
mod htb;
mod netem;
mod netem_decode;
mod netem_dist;
mod prio;
mod sfq;
mod shaping;
mod tbf;
#[cfg(test)]
mod testutil;

use super::kind::TcKind;

pub static KINDS: &[&dyn TcKind] = &[
    &fifo::PFIFO,
    &fifo::BFIFO,
    &htb::HTB,
    &htb::HTB_CLASS,
    &tbf::TBF,
    &netem::NETEM,
    &prio::PRIO,
    &prio::PFIFO_FAST,
    &sfq::SFQ,
    &fq_codel::FQ_CODEL,
    &fq::FQ,
    &cake::CAKE,
    &hfsc::HFSC,
    &hfsc::HFSC_CLASS,
];
