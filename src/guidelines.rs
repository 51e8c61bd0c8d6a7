//! The domain guideline catalogue (G1–G37): short titles rules refer to with `guideline = "G3"`.
//!
//! The catalogue is distilled from contact-centre training material; `docs/guidelines.md`
//! explains each guideline and which rule kind checks it.

/// One guideline: its id and a one-line title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Guideline {
    /// `G1` … `G37`.
    pub id: &'static str,
    /// One line.
    pub title: &'static str,
}

const fn g(id: &'static str, title: &'static str) -> Guideline {
    Guideline { id, title }
}

/// Every guideline in catalogue order.
pub static GUIDELINES: &[Guideline] = &[
    g("G1", "Answer within three rings"),
    g("G2", "After a long wait (over 3 rings), apologise first"),
    g("G3", "Greet first, then name the company"),
    g(
        "G4",
        "Don't use a generic \"what can I do for you\" where the purpose is obvious",
    ),
    g("G5", "Never interrupt the customer"),
    g("G6", "Don't monopolise the conversation"),
    g("G7", "Speak at about 120 characters per minute"),
    g("G8", "Back-channel while listening (\"yes\", \"right\")"),
    g("G9", "Repeat and confirm important details"),
    g("G10", "For a fault report, take name, phone number and address"),
    g(
        "G11",
        "If you cannot answer now, apologise, take a number and promise a reply",
    ),
    g("G12", "Give a definite time and scope; no vague promises"),
    g(
        "G13",
        "During a planned outage, apologise and give the restoration time",
    ),
    g("G14", "Thank the customer for a complaint and record it"),
    g(
        "G15",
        "Sympathise and apologise; never argue with a complaining customer",
    ),
    g(
        "G16",
        "If the person asked for is absent, offer to take a message",
    ),
    g("G17", "If the customer cannot hear you, adjust and check"),
    g("G18", "Explain wrong numbers politely; never use foul language"),
    g(
        "G19",
        "Say \"Could you…?\" instead of \"You must\" / \"You should have\"",
    ),
    g(
        "G20",
        "Don't answer with a bare \"No\"; say what the customer can do",
    ),
    g("G21", "Say \"I will…\" instead of \"I'll try my best\""),
    g(
        "G22",
        "No cold or dismissive answers (\"I don't know\", \"read the manual\")",
    ),
    g("G23", "No interrogating tone (\"On what grounds…?\")"),
    g("G24", "No commands; consult and ask instead"),
    g("G25", "No jargon the customer cannot follow"),
    g("G26", "No buck-passing or run-around"),
    g("G27", "No exaggerated claims or unrealistic promises"),
    g("G28", "Don't pester the customer for good reviews"),
    g("G29", "Keep replies concise"),
    g("G30", "Reply promptly in chat"),
    g("G31", "On follow-up calls, ask whether it is convenient to talk"),
    g("G32", "Don't ask a lone diner \"Just you?\""),
    g("G33", "Never read out or hand over customer data"),
    g("G34", "Verify the caller's identity before disclosing anything"),
    g("G35", "Before ending, ask whether there is anything else"),
    g("G36", "Thank the customer warmly at the end"),
    g("G37", "Let the customer hang up first"),
];

/// The title of a guideline id, if it exists.
pub fn title(id: &str) -> Option<&'static str> {
    GUIDELINES.iter().find(|g| g.id == id).map(|g| g.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_complete_and_ordered() {
        assert_eq!(GUIDELINES.len(), 37);
        for (i, g) in GUIDELINES.iter().enumerate() {
            assert_eq!(g.id, format!("G{}", i + 1));
        }
        assert_eq!(title("G37"), Some("Let the customer hang up first"));
        assert_eq!(title("G38"), None);
    }
}
