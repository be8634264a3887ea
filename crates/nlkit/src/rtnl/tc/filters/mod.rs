//! Classifier kinds (`tc filter ... <kind>`): one module per kind.

use super::kind::TcKind;

pub static KINDS: &[&dyn TcKind] = &[];
