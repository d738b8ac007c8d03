//! Languages: one per Snowball stemmer in `rust-stemmers`, each with a stop-word list.
//!
//! Stop words: for English, NLTK's list (179 words, as shipped in the `stop-words` crate) plus
//! [`ENGLISH_NEWS_EXTRA`], words that carry no topic in news copy (reporting verbs, titles,
//! weekdays, contractions' fragments). We deliberately do *not* use the long 1,300-word lists that
//! remove "new", "state", "world", "million", "government": those are topic words in news. Other
//! languages use NLTK's list for that language. Very frequent words are removed anyway by
//! `--max-df`, so lists can stay short.

use serde::{Deserialize, Serialize};

/// Language of the collection: selects the stemmer and the stop-word list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Arabic.
    Arabic,
    /// Danish.
    Danish,
    /// Dutch.
    Dutch,
    /// English (default).
    #[default]
    English,
    /// Finnish.
    Finnish,
    /// French.
    French,
    /// German.
    German,
    /// Greek.
    Greek,
    /// Hungarian.
    Hungarian,
    /// Italian.
    Italian,
    /// Norwegian.
    Norwegian,
    /// Portuguese.
    Portuguese,
    /// Romanian.
    Romanian,
    /// Russian.
    Russian,
    /// Spanish.
    Spanish,
    /// Swedish.
    Swedish,
    /// Tamil.
    Tamil,
    /// Turkish.
    Turkish,
}

/// Extra English stop words for news (added to NLTK's list): reporting verbs, modal and light
/// verbs, titles, weekdays, number words, and the function words of scikit-learn's English list
/// (Glasgow IR group) — but none of that list's content words ("fire", "bill", "interest",
/// "system", "first", "last"), which are topics in news.
pub const ENGLISH_NEWS_EXTRA: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "according",
    "would",
    "could",
    "should",
    "also",
    "may",
    "might",
    "must",
    "shall",
    "will",
    "can",
    "one",
    "mr",
    "mrs",
    "ms",
    "dr",
    "per",
    "via",
    "yet",
    "still",
    "even",
    "much",
    "many",
    "however",
    "although",
    "though",
    "since",
    "upon",
    "whether",
    "within",
    "without",
    "among",
    "another",
    "every",
    "unless",
    "us",
    "let",
    "lets",
    "got",
    "get",
    "gets",
    "go",
    "goes",
    "going",
    "went",
    "make",
    "makes",
    "made",
    "take",
    "takes",
    "took",
    "like",
    "well",
    "back",
    "way",
    "put",
    "see",
    "seen",
    "come",
    "came",
    "know",
    "think",
    "want",
    "use",
    "used",
    "using",
    "really",
    "something",
    "anything",
    "nothing",
    "thing",
    "things",
    "lot",
    "etc",
    "ie",
    "eg",
    "re",
    "ve",
    "ll",
    "don",
    "didn",
    "doesn",
    "isn",
    "wasn",
    "aren",
    "couldn",
    "wouldn",
    "shouldn",
    "won",
    "can't",
    "cannot",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "across",
    "afterwards",
    "almost",
    "alone",
    "along",
    "already",
    "always",
    "amongst",
    "anyhow",
    "anyone",
    "anyway",
    "anywhere",
    "around",
    "became",
    "become",
    "becomes",
    "becoming",
    "beforehand",
    "behind",
    "beside",
    "besides",
    "beyond",
    "cant",
    "couldnt",
    "done",
    "due",
    "either",
    "else",
    "elsewhere",
    "enough",
    "ever",
    "everyone",
    "everything",
    "everywhere",
    "except",
    "hence",
    "hereafter",
    "hereby",
    "herein",
    "hereupon",
    "indeed",
    "latter",
    "latterly",
    "least",
    "less",
    "meanwhile",
    "moreover",
    "mostly",
    "namely",
    "neither",
    "never",
    "nevertheless",
    "next",
    "nobody",
    "none",
    "noone",
    "nowhere",
    "often",
    "onto",
    "others",
    "otherwise",
    "perhaps",
    "please",
    "rather",
    "seem",
    "seemed",
    "seeming",
    "seems",
    "several",
    "somehow",
    "someone",
    "sometime",
    "sometimes",
    "somewhere",
    "thence",
    "thereafter",
    "thereby",
    "therefore",
    "therein",
    "thereupon",
    "throughout",
    "thru",
    "thus",
    "together",
    "toward",
    "towards",
    "whatever",
    "whence",
    "whenever",
    "whereafter",
    "whereas",
    "whereby",
    "wherein",
    "whereupon",
    "wherever",
    "whither",
    "whoever",
    "whole",
    "whose",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
];

impl Language {
    /// Every language, in alphabetical order.
    pub const ALL: [Language; 18] = [
        Language::Arabic,
        Language::Danish,
        Language::Dutch,
        Language::English,
        Language::Finnish,
        Language::French,
        Language::German,
        Language::Greek,
        Language::Hungarian,
        Language::Italian,
        Language::Norwegian,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Spanish,
        Language::Swedish,
        Language::Tamil,
        Language::Turkish,
    ];

    /// The Snowball algorithm for this language.
    pub fn algorithm(self) -> rust_stemmers::Algorithm {
        use rust_stemmers::Algorithm as A;
        match self {
            Language::Arabic => A::Arabic,
            Language::Danish => A::Danish,
            Language::Dutch => A::Dutch,
            Language::English => A::English,
            Language::Finnish => A::Finnish,
            Language::French => A::French,
            Language::German => A::German,
            Language::Greek => A::Greek,
            Language::Hungarian => A::Hungarian,
            Language::Italian => A::Italian,
            Language::Norwegian => A::Norwegian,
            Language::Portuguese => A::Portuguese,
            Language::Romanian => A::Romanian,
            Language::Russian => A::Russian,
            Language::Spanish => A::Spanish,
            Language::Swedish => A::Swedish,
            Language::Tamil => A::Tamil,
            Language::Turkish => A::Turkish,
        }
    }

    /// Lower-case name, as NLTK names its lists.
    pub fn name(self) -> &'static str {
        match self {
            Language::Arabic => "arabic",
            Language::Danish => "danish",
            Language::Dutch => "dutch",
            Language::English => "english",
            Language::Finnish => "finnish",
            Language::French => "french",
            Language::German => "german",
            Language::Greek => "greek",
            Language::Hungarian => "hungarian",
            Language::Italian => "italian",
            Language::Norwegian => "norwegian",
            Language::Portuguese => "portuguese",
            Language::Romanian => "romanian",
            Language::Russian => "russian",
            Language::Spanish => "spanish",
            Language::Swedish => "swedish",
            Language::Tamil => "tamil",
            Language::Turkish => "turkish",
        }
    }

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::Arabic => "ar",
            Language::Danish => "da",
            Language::Dutch => "nl",
            Language::English => "en",
            Language::Finnish => "fi",
            Language::French => "fr",
            Language::German => "de",
            Language::Greek => "el",
            Language::Hungarian => "hu",
            Language::Italian => "it",
            Language::Norwegian => "no",
            Language::Portuguese => "pt",
            Language::Romanian => "ro",
            Language::Russian => "ru",
            Language::Spanish => "es",
            Language::Swedish => "sv",
            Language::Tamil => "ta",
            Language::Turkish => "tr",
        }
    }

    /// The stop words of this language (lower case; apostrophes as `'`).
    pub fn stop_words(self) -> Vec<&'static str> {
        let mut words: Vec<&'static str> = stop_words::lookup(self.code()).unwrap_or(&[]).to_vec();
        if self == Language::English {
            words.extend_from_slice(ENGLISH_NEWS_EXTRA);
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_a_stemmer_and_stop_words() {
        for lang in &Language::ALL {
            let _ = rust_stemmers::Stemmer::create(lang.algorithm());
            assert!(lang.stop_words().len() > 20, "{lang:?}");
        }
    }

    #[test]
    fn news_words_are_not_stop_words() {
        let sw = Language::English.stop_words();
        for w in [
            "new",
            "state",
            "world",
            "million",
            "government",
            "year",
            "people",
        ] {
            assert!(!sw.contains(&w), "{w}");
        }
        assert!(sw.contains(&"said") && sw.contains(&"the"));
    }
}
