//! Languages: what the analyzer does differently per language (stemmer, stop words,
//! elision), which way a language is written, what it calls itself, and which of a kb's
//! languages a customer gets (`negotiate`).
//!
//! A language is named by its BCP 47 tag (`fr`, `pt-BR`); its rules come from the primary
//! subtag, so `fr-CA` is analyzed as French. Languages written without spaces between
//! words (Chinese, Japanese, Korean) need no rules here: the analyzer indexes any run of
//! their characters as overlapping character pairs, whatever the kb's language (see
//! [`crate::analyzer`]).

mod negotiate;
mod stop_words;

pub use negotiate::{best_match, negotiate};

use rust_stemmers::Algorithm;

/// A language, by its BCP 47 tag, normalized (`pt_br` → `pt-br`, lowercase).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language {
    tag: String,
}

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// The HTML `dir` attribute's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

impl Default for Language {
    fn default() -> Self {
        Language::english()
    }
}

impl Language {
    pub fn english() -> Language {
        Language { tag: "en".into() }
    }

    /// `tag` as a language, if it looks like a BCP 47 tag: a primary subtag of 2–3 letters,
    /// then subtags of 1–8 letters or digits.
    pub fn parse(tag: &str) -> Option<Language> {
        let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
        let mut subtags = tag.split('-');
        let primary = subtags.next()?;
        let primary_ok =
            (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase());
        let rest_ok = subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
        (primary_ok && rest_ok).then_some(Language { tag })
    }

    /// The normalized tag (`fr`, `pt-br`).
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The primary subtag (`pt` of `pt-br`).
    pub fn primary(&self) -> &str {
        self.tag.split('-').next().unwrap_or(&self.tag)
    }

    pub fn is_english(&self) -> bool {
        self.primary() == "en"
    }

    /// The Snowball stemmer for this language, if there is one. Naming it links every
    /// algorithm into a binary: the widget asks for it only in the piece that stems
    /// languages other than English.
    pub fn snowball(&self) -> Option<Algorithm> {
        Some(match self.primary() {
            "ar" => Algorithm::Arabic,
            "da" => Algorithm::Danish,
            "nl" => Algorithm::Dutch,
            "en" => Algorithm::English,
            "fi" => Algorithm::Finnish,
            "fr" => Algorithm::French,
            "de" => Algorithm::German,
            "el" => Algorithm::Greek,
            "hu" => Algorithm::Hungarian,
            "it" => Algorithm::Italian,
            "no" | "nb" | "nn" => Algorithm::Norwegian,
            "pt" => Algorithm::Portuguese,
            "ro" => Algorithm::Romanian,
            "ru" => Algorithm::Russian,
            "es" => Algorithm::Spanish,
            "sv" => Algorithm::Swedish,
            "ta" => Algorithm::Tamil,
            "tr" => Algorithm::Turkish,
            _ => return None,
        })
    }

    /// Function words a query ignores, folded and sorted; empty for languages without a
    /// list (their every word counts).
    pub fn stop_words(&self) -> &'static [&'static str] {
        match self.primary() {
            "en" => stop_words::ENGLISH,
            "fr" => stop_words::FRENCH,
            "de" => stop_words::GERMAN,
            "es" => stop_words::SPANISH,
            _ => &[],
        }
    }

    /// Whether a folded (lowercase, unstemmed) word is one of this language's stop words.
    pub fn is_stop_word(&self, folded: &str) -> bool {
        self.stop_words().binary_search(&folded).is_ok()
    }

    /// Elided articles and pronouns written onto the next word (`l'imprimante`,
    /// `dell'utente`), which the analyzer drops so the word is found on its own.
    pub fn elisions(&self) -> &'static [&'static str] {
        match self.primary() {
            "fr" => &[
                "c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "quoiqu", "s", "t",
            ],
            "it" => &[
                "all", "c", "d", "dall", "dell", "l", "nell", "quell", "sull", "un",
            ],
            "ca" => &["d", "l", "m", "n", "s", "t"],
            _ => &[],
        }
    }

    /// The writing direction (right to left for Arabic, Hebrew, Persian, Urdu and the
    /// like).
    pub fn direction(&self) -> Direction {
        match self.primary() {
            "ar" | "he" | "fa" | "ur" | "ps" | "yi" | "dv" | "ckb" | "sd" | "ug" => Direction::Rtl,
            _ => Direction::Ltr,
        }
    }

    /// What the language calls itself, for the widget's language switcher; `None` for
    /// languages not listed here (a kb then names them in `[languages]`).
    pub fn endonym(&self) -> Option<&'static str> {
        Some(match self.primary() {
            "ar" => "العربية",
            "ca" => "Català",
            "cs" => "Čeština",
            "da" => "Dansk",
            "de" => "Deutsch",
            "el" => "Ελληνικά",
            "en" => "English",
            "es" => "Español",
            "fa" => "فارسی",
            "fi" => "Suomi",
            "fr" => "Français",
            "he" => "עברית",
            "hu" => "Magyar",
            "it" => "Italiano",
            "ja" => "日本語",
            "ko" => "한국어",
            "nb" | "no" => "Norsk",
            "nl" => "Nederlands",
            "pl" => "Polski",
            "pt" => "Português",
            "ro" => "Română",
            "ru" => "Русский",
            "sv" => "Svenska",
            "tr" => "Türkçe",
            "uk" => "Українська",
            "zh" => "中文",
            _ => return None,
        })
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalized_and_checked() {
        assert_eq!(Language::parse("pt_BR").unwrap().tag(), "pt-br");
        assert_eq!(Language::parse(" FR ").unwrap().primary(), "fr");
        assert_eq!(Language::parse("zh-Hant-TW").unwrap().primary(), "zh");
        for bad in ["", "f", "french", "fr-", "12", "fr-toolongsubtag", "fr/ca"] {
            assert_eq!(Language::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn rules_follow_the_primary_subtag() {
        let fr_ca = Language::parse("fr-CA").unwrap();
        assert_eq!(fr_ca.snowball(), Some(Algorithm::French));
        assert!(fr_ca.is_stop_word("les"));
        assert!(fr_ca.elisions().contains(&"l"));
        assert_eq!(Language::parse("he").unwrap().direction(), Direction::Rtl);
        assert_eq!(
            Language::parse("ar-EG").unwrap().direction(),
            Direction::Rtl
        );
        assert_eq!(fr_ca.direction(), Direction::Ltr);
        assert_eq!(Language::parse("ja").unwrap().snowball(), None);
        assert_eq!(Language::parse("de-AT").unwrap().endonym(), Some("Deutsch"));
    }
}
