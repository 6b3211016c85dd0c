//! Which of a kb's languages a customer gets.

use super::Language;

/// The first of `wanted` (most preferred first: the widget's `lang` attribute, the page's
/// `lang`, then the browser's languages) that the kb has, exactly or by its primary subtag
/// (`fr-CA` gets `fr`; `pt` gets `pt-BR`); else `default`. Tags that are not language tags
/// are skipped.
pub fn negotiate<'a>(
    available: &'a [Language],
    wanted: impl IntoIterator<Item = &'a str>,
    default: &'a Language,
) -> &'a Language {
    wanted
        .into_iter()
        .filter_map(Language::parse)
        .find_map(|want| best_match(available, &want))
        .unwrap_or(default)
}

/// The one of `available` that serves `want`: the same tag, else the same language in
/// another region (`fr-CA` gets `fr`; `pt` gets `pt-BR`).
pub fn best_match<'a>(available: &'a [Language], want: &Language) -> Option<&'a Language> {
    available
        .iter()
        .find(|l| *l == want)
        .or_else(|| available.iter().find(|l| l.primary() == want.primary()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(tags: &[&str]) -> Vec<Language> {
        tags.iter().map(|t| Language::parse(t).unwrap()).collect()
    }

    fn pick(available: &[&str], wanted: &[&str]) -> String {
        let available = kb(available);
        negotiate(&available, wanted.iter().copied(), &available[0])
            .tag()
            .to_string()
    }

    #[test]
    fn the_first_wanted_language_the_kb_has_wins() {
        assert_eq!(pick(&["en", "fr", "de"], &["de", "fr"]), "de");
        // The element or the page comes before the browser: an English page stays English.
        assert_eq!(pick(&["en", "fr"], &["en", "fr-FR"]), "en");
        assert_eq!(pick(&["en", "fr"], &["es", "fr-FR", "en"]), "fr");
    }

    #[test]
    fn regions_fall_back_to_the_language_and_back() {
        assert_eq!(pick(&["en", "fr"], &["fr-CA"]), "fr");
        assert_eq!(pick(&["en", "pt-BR"], &["pt"]), "pt-br");
        // An exact region beats an earlier-listed sibling.
        assert_eq!(pick(&["en", "pt-PT", "pt-BR"], &["pt-BR"]), "pt-br");
    }

    #[test]
    fn nothing_usable_gets_the_default() {
        assert_eq!(pick(&["en", "fr"], &[]), "en");
        assert_eq!(pick(&["en", "fr"], &["ja", "", "not a tag"]), "en");
        assert_eq!(pick(&["de", "fr"], &["*"]), "de");
    }
}
