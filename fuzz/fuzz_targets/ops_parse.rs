//! The binding's operation parser (JSON text of a batch -> settings) and its field check, on
//! any text: parsed or refused, never a panic, and never slower than linear (objects are capped).
//! Built from the binding's own files (they use nothing of napi).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nlkit::rtnl::settings::Value;

#[path = "../../crates/nlkit-node/src/ops_in/json.rs"]
#[allow(dead_code)]
mod json;

#[path = "../../crates/nlkit-node/src/ops_in/fields.rs"]
#[allow(dead_code)]
mod fields;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(ops) = json::parse(&text) {
        for op in &ops {
            let name = match op.get("op") {
                Some(Value::Str(s)) => s.as_str(),
                _ => "",
            };
            let _ = fields::check(name, op);
        }
    }
});
