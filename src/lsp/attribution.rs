//! The draft's quotations and who said them, as the server's features show them.
//!
//! A thin reading of the model's attribution analysis ([`Document::quote_info`]): quoted
//! speech and partial quotes are listed, quoted terms and scare quotes are not; a quotation's
//! source is a person of the draft (named, or through a pronoun the model resolved), else the
//! words the draft uses for the speaker ("a resident", "officials"), else it is unattributed.

use crate::Document;
use crate::document::{QuoteUse, Speaker};

/// Who a quotation is attributed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// A person of [`Document::people`].
    Person(u32),
    /// A speaker the draft describes without naming ("a resident", "they").
    Described(String),
}

/// A quotation the features show.
#[derive(Clone, Debug)]
pub(crate) struct Quote {
    /// Index into [`Document::quotations`].
    pub quotation: usize,
    /// `None` when unattributed.
    pub source: Option<Source>,
}

impl Quote {
    /// The person the quotation is attributed to, if it is one of the draft's people.
    pub fn person(&self) -> Option<u32> {
        match self.source {
            Some(Source::Person(person)) => Some(person),
            _ => None,
        }
    }
}

/// The draft's quotations of speech, in document order.
pub(crate) fn quotes(doc: &Document) -> Vec<Quote> {
    doc.quote_infos()
        .iter()
        .filter(|info| info.usage != QuoteUse::Term)
        .map(|info| {
            let source = info.attribution.as_ref().map(|attribution| match &attribution.speaker {
                Speaker::Person(person)
                | Speaker::Pronoun {
                    person: Some(person), ..
                } => Source::Person(*person),
                other => Source::Described(doc.speaker_label(other)),
            });
            Quote {
                quotation: info.quotation as usize,
                source,
            }
        })
        .collect()
}

/// The label of a source: the person's full name or the description.
pub(crate) fn label(doc: &Document, source: &Source) -> String {
    match source {
        Source::Person(person) => doc.people()[*person as usize].full_name.clone(),
        Source::Described(words) => words.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_their_sources() {
        let doc = Document::new(
            "Mayor Ana Reyes spoke. \"It is not over,\" said Reyes. She called it \"sound.\"\n\n\"Nobody told us anything at all,\" a resident said.\n\nThe council met on Monday.\n\n\"We will not close a single branch this year.\"\n",
        );
        let sources: Vec<Option<String>> = quotes(&doc)
            .iter()
            .map(|quote| quote.source.as_ref().map(|source| label(&doc, source)))
            .collect();
        assert_eq!(
            sources,
            vec![Some("Ana Reyes".to_string()), Some("a resident".to_string()), None]
        );
    }
}
