//! napi-rs binding of the nlkit core: converts JS values to core requests and completions
//! back, no protocol logic and no sockets. This file only registers the modules:
//!
//! - `handles/`: the classes JS holds (`NativeConn`, `NativeMonitor`, `NativeRawConn`,
//!   `NativeRawMonitor`) and `netnsCall`
//! - `ops_in/`: operations in (JSON text -> settings -> requests), per protocol area
//! - `replies_out/`: replies and events out (JSON text for rtnetlink, bytes for raw)
//! - `envelope`: the one error envelope of every entry point

mod envelope;
mod handles;
mod ops_in;
mod replies_out;
