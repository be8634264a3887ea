//! A small ordered key/value tree: how kind-specific link settings (and other open-ended
//! attribute sets) travel between the typed encoders/decoders and the API layers. Keys follow
//! iproute2's `ip -d -j` names, in camelCase (`vlanFiltering`, `forwardDelay`).

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    /// A number that is not a whole one (a percentage, a time in µs with nanoseconds): only
    /// decoders produce it (the binding's JSON brings fractions in as `'digits' + 'n'` strings).
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(Settings),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings(pub Vec<(String, Value)>);

impl Settings {
    pub fn new() -> Self {
        Settings(Vec::new())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn set(&mut self, key: &str, v: Value) -> &mut Self {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = v,
            None => self.0.push((key.to_string(), v)),
        }
        self
    }

    /// [`set`](Self::set) taking the key by value (no copy of it when it is new).
    pub fn set_owned(&mut self, key: String, v: Value) -> &mut Self {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = v,
            None => self.0.push((key, v)),
        }
        self
    }

    pub fn set_int(&mut self, key: &str, v: impl Into<i64>) -> &mut Self {
        self.set(key, Value::Int(v.into()))
    }

    pub fn set_bool(&mut self, key: &str, v: bool) -> &mut Self {
        self.set(key, Value::Bool(v))
    }

    pub fn set_str(&mut self, key: &str, v: impl Into<String>) -> &mut Self {
        self.set(key, Value::Str(v.into()))
    }

    /// An integer setting within `[min, max]`; absent is `Ok(None)`, anything else an error
    /// naming the key.
    pub fn int(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Int(i)) if (min..=max).contains(i) => Ok(Some(*i)),
            Some(Value::Int(i)) => Err(format!("{key} must be between {min} and {max}, got {i}")),
            Some(_) => Err(format!("{key} must be an integer")),
        }
    }

    pub fn u32(&self, key: &str) -> Result<Option<u32>, String> {
        Ok(self.int(key, 0, u32::MAX as i64)?.map(|v| v as u32))
    }

    pub fn u16(&self, key: &str) -> Result<Option<u16>, String> {
        Ok(self.int(key, 0, u16::MAX as i64)?.map(|v| v as u16))
    }

    pub fn u8(&self, key: &str) -> Result<Option<u8>, String> {
        Ok(self.int(key, 0, u8::MAX as i64)?.map(|v| v as u8))
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(format!("{key} must be a boolean")),
        }
    }

    pub fn str(&self, key: &str) -> Result<Option<&str>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s)),
            Some(_) => Err(format!("{key} must be a string")),
        }
    }

    pub fn map(&self, key: &str) -> Result<Option<&Settings>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Map(m)) => Ok(Some(m)),
            Some(_) => Err(format!("{key} must be an object")),
        }
    }

    /// A string setting that must be one of `names` (mapped to its value).
    pub fn choice<T: Copy>(&self, key: &str, names: &[(&str, T)]) -> Result<Option<T>, String> {
        match self.str(key)? {
            None => Ok(None),
            Some(s) => names.iter().find(|(n, _)| *n == s).map(|(_, v)| Some(*v)).ok_or_else(|| {
                let all: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
                format!("{key} must be one of {}, got {s:?}", all.join(", "))
            }),
        }
    }

    /// Keys not in `known`: a typo must not be silently ignored.
    pub fn check_known(&self, known: &[&str]) -> Result<(), String> {
        match self.0.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            Some((k, _)) => Err(format!("unknown setting {k:?} (known: {})", known.join(", "))),
            None => Ok(()),
        }
    }
}
