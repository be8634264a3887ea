//! Classifier kinds (`tc filter ... <kind>`): one module per kind.

pub mod basic;
pub mod bpf;
pub mod common;
mod ematch;
pub mod flower;
pub mod fw;
pub mod matchall;
#[cfg(test)]
mod test_util;
pub mod u32;

use super::kind::TcKind;

pub static KINDS: &[&dyn TcKind] =
    &[&u32::U32_KIND, &bpf::BPF_KIND, &matchall::MATCHALL_KIND, &flower::FLOWER_KIND, &fw::FW_KIND, &basic::BASIC_KIND];
