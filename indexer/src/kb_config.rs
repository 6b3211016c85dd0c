//! `fixpath.toml`, the kb's config file, as written by its authors: the settings the widget
//! obeys plus those only the indexer reads (`exclude`, `[guides]`). The bundle carries
//! [`WidgetConfig`], converted here, never this type, so the file's shape and the bundle
//! format change independently.

use std::collections::BTreeMap;

use fixpath_engine::config::{
    DeliveryConfig, InsightsConfig, LanguageChoice, SupportConfig, TriageConfig, WidgetConfig,
    DEFAULT_TITLE,
};
use fixpath_engine::language::Language;
use fixpath_engine::strings;
use fixpath_engine::ticket_fields::TicketConfig;
use serde::Deserialize;

/// The kb config file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KbConfig {
    /// Heading of the widget panel.
    pub title: String,
    /// Globs (relative to the kb root) of markdown files that are not articles.
    pub exclude: Vec<String>,
    pub delivery: DeliveryConfig,
    pub support: SupportConfig,
    pub triage: TriageConfig,
    pub ticket: TicketConfig,
    /// `[guides]`: how articles become guides.
    pub guides: GuidesConfig,
    /// `[strings]`: the widget's words, by key (see `kb/README.md`).
    pub strings: BTreeMap<String, String>,
    /// `[insights]`: usage counts for support and docs teams (off unless turned on).
    pub insights: InsightsConfig,
    /// The language of the articles at the kb root (BCP 47, `en` unless set): the default,
    /// which the other languages fall back to.
    pub language: String,
    /// `[languages.TAG]`: the kb's other languages, each translated in the folder `TAG/`.
    pub languages: BTreeMap<String, LanguageConfig>,
}

/// `[languages.TAG]`: one of a kb's other languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageConfig {
    /// Heading of the widget panel in this language (else the kb's `title`).
    pub title: Option<String>,
    /// What the switcher calls it (else its own name for itself, if Fixpath knows it).
    pub name: Option<String>,
    /// The widget's words in this language, over the catalog Fixpath ships for it.
    pub strings: BTreeMap<String, String>,
    /// `[languages.TAG.fields]`: the kb's own ticket questions (`[[ticket.fields]]`) in
    /// this language, label by key; the key, which support teams see, stays the same.
    pub fields: BTreeMap<String, String>,
}

impl Default for KbConfig {
    fn default() -> Self {
        KbConfig {
            title: DEFAULT_TITLE.to_string(),
            exclude: Vec::new(),
            delivery: DeliveryConfig::default(),
            support: SupportConfig::default(),
            triage: TriageConfig::default(),
            ticket: TicketConfig::default(),
            guides: GuidesConfig::default(),
            strings: Default::default(),
            insights: InsightsConfig::default(),
            language: "en".to_string(),
            languages: BTreeMap::new(),
        }
    }
}

impl KbConfig {
    /// What the bundle in `language` (the default, or one of `[languages]`) tells the
    /// widget; the caller adds the untranslated articles.
    pub fn widget_config_in(&self, language: &Language) -> WidgetConfig {
        let others = self.other_languages();
        let own = others
            .iter()
            .find(|(_, other, _)| other == language)
            .map(|(_, _, config)| *config);
        let kb_strings = own.map_or(&self.strings, |l| &l.strings);
        let mut ticket = self.ticket.clone();
        for field in &mut ticket.fields {
            if let Some(label) = own.and_then(|l| l.fields.get(&field.key)) {
                field.label = label.clone();
            }
        }
        WidgetConfig {
            title: own
                .and_then(|l| l.title.clone())
                .unwrap_or_else(|| self.title.clone()),
            delivery: self.delivery.clone(),
            support: self.support.clone(),
            triage: self.triage.clone(),
            ticket,
            strings: strings::for_bundle(language, kb_strings),
            insights: self.insights.clone(),
            language: language.tag().to_string(),
            languages: self.language_choices(),
            untranslated: Vec::new(),
        }
    }

    /// The root articles' language (English if `language` is not a language tag, which
    /// `fixpath check` reports).
    pub fn default_language(&self) -> Language {
        Language::parse(&self.language).unwrap_or_default()
    }

    /// The other languages whose tags parse (the rest are reported by `fixpath check`),
    /// in tag order: (the tag as written, which names the folder; the language; its
    /// settings).
    pub fn other_languages(&self) -> Vec<(&str, Language, &LanguageConfig)> {
        self.languages
            .iter()
            .filter_map(|(tag, config)| Some((tag.as_str(), Language::parse(tag)?, config)))
            .collect()
    }

    /// Every language, default first, as the widget offers them; empty for a kb in one
    /// language (its manifest stays as it was).
    fn language_choices(&self) -> Vec<LanguageChoice> {
        let others = self.other_languages();
        if others.is_empty() {
            return Vec::new();
        }
        let default = self.default_language();
        let choice = |language: &Language, name: Option<&String>, path: String| LanguageChoice {
            tag: language.tag().to_string(),
            name: name
                .cloned()
                .or_else(|| language.endonym().map(str::to_string))
                .unwrap_or_else(|| language.tag().to_string()),
            path,
        };
        std::iter::once(choice(&default, None, String::new()))
            .chain(
                others
                    .iter()
                    .map(|(_, l, c)| choice(l, c.name.as_ref(), format!("{}/", l.tag()))),
            )
            .collect()
    }
}

/// `[guides]` in the kb config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GuidesConfig {
    /// Heading patterns (`*` is any text, case ignored) that start a step, at any heading
    /// level: for existing help-centre articles written as "### Method 1: …". An article
    /// with no heading matching them keeps one step per `##` section.
    pub step_headings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexer_only_settings_stay_out_of_the_widget_config() {
        let config: KbConfig = toml::from_str(
            "title = \"Help\"\nexclude = [\"drafts/*\"]\n[guides]\nstep_headings = [\"Method *\"]\n",
        )
        .unwrap();
        let json =
            serde_json::to_value(config.widget_config_in(&config.default_language())).unwrap();
        assert_eq!(json["title"], "Help");
        assert!(json.get("exclude").is_none() && json.get("guides").is_none());
        // One language: the manifest says nothing of languages, as before they existed.
        for absent in ["language", "languages", "untranslated"] {
            assert!(json.get(absent).is_none(), "{absent}");
        }
    }

    #[test]
    fn each_language_gets_its_title_and_words() {
        let config: KbConfig = toml::from_str(
            "title = \"Help\"\n[strings]\ncontact = \"Write to us\"\n\
             [languages.fr]\ntitle = \"Aide\"\n[languages.fr.strings]\ncontact = \"Écrivez-nous\"\n\
             [languages.pt-BR]\nname = \"Português (Brasil)\"\n",
        )
        .unwrap();
        let fr = config.widget_config_in(&Language::parse("fr").unwrap());
        assert_eq!((fr.title.as_str(), fr.language.as_str()), ("Aide", "fr"));
        assert_eq!(fr.strings["contact"], "Écrivez-nous");
        assert_eq!(fr.strings["guide.fixed"], "C’est réglé");
        let en = config.widget_config_in(&config.default_language());
        assert_eq!(en.strings.len(), 1);
        let choices: Vec<_> = en
            .languages
            .iter()
            .map(|c| (c.tag.as_str(), c.name.as_str(), c.path.as_str()))
            .collect();
        assert_eq!(
            choices,
            [
                ("en", "English", ""),
                ("fr", "Français", "fr/"),
                ("pt-br", "Português (Brasil)", "pt-br/")
            ]
        );
    }
}
