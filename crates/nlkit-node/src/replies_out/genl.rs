//! Generic netlink replies out: ethtool notifications as JSON (completions cross as
//! [`super::typed`] records).

use super::json;

/// An ethtool notification's payload (genlmsghdr first) as `{"kind":...,"data":{...}}`, or
/// None for a notification not modelled (or too short to be one).
pub fn ethtool_notification(payload: &[u8]) -> Option<String> {
    let cmd = *payload.first()?;
    let (kind, data) = nlkit::genl::ethtool::notification(cmd, payload.get(nlkit::genl::GENL_HDRLEN..)?)?;
    let mut text = format!("{{\"kind\":\"{kind}\",\"data\":");
    json::settings(&mut text, &data);
    text.push('}');
    Some(text)
}
