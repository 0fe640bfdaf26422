//! What a finding says. Rules whose messages follow the catalogue's shape, `<reason>:
//! <detail>` (a short, stable reason, then what exactly is wrong and where), build them with
//! [`Message::new`], and the reason and detail travel as fields of their own: the admission
//! summary and the JSON report read them instead of splitting the text again. Any other
//! message is plain text.

use std::fmt::Display;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The text users see: `reason: detail`, or the plain message.
    pub text: String,
    /// The reason and the detail, when the message was built from them.
    pub parts: Option<(String, String)>,
}

impl Message {
    pub fn new(reason: &str, detail: impl Display) -> Self {
        let detail = detail.to_string();
        Message { text: format!("{reason}: {detail}"), parts: Some((reason.to_owned(), detail)) }
    }

    pub fn reason(&self) -> Option<&str> {
        self.parts.as_ref().map(|(r, _)| r.as_str())
    }

    pub fn detail(&self) -> Option<&str> {
        self.parts.as_ref().map(|(_, d)| d.as_str())
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message { text, parts: None }
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        text.to_owned().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_structured_message_keeps_colons_in_its_detail() {
        let m = Message::new("a != b", "c: d");
        assert_eq!(m.text, "a != b: c: d");
        assert_eq!((m.reason(), m.detail()), (Some("a != b"), Some("c: d")));
    }

    #[test]
    fn a_plain_message_has_no_reason() {
        let m = Message::from("no colon here: but not structured");
        assert_eq!(m.text, "no colon here: but not structured");
        assert_eq!(m.reason(), None);
    }
}
