//! Qdisc and class kinds: one module per kind.

mod fifo;

use super::kind::TcKind;

pub static KINDS: &[&dyn TcKind] = &[&fifo::PFIFO, &fifo::BFIFO];
