//! Shared by the integration tests: the fake kernel (engine tests) and the captured fixtures
//! (decode and encode tests).
#![allow(dead_code, unused_imports)]

pub mod fake_kernel;
pub mod fixtures;
