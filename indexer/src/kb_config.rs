//! `fixpath.toml`, the kb's config file, as written by its authors: the settings the widget
//! obeys plus those only the indexer reads (`exclude`, `[guides]`). The bundle carries
//! [`WidgetConfig`], converted here, never this type, so the file's shape and the bundle
//! format change independently.

use fixpath_engine::config::{
    DeliveryConfig, InsightsConfig, SupportConfig, TriageConfig, WidgetConfig, DEFAULT_TITLE,
};
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
    pub strings: std::collections::BTreeMap<String, String>,
    /// `[insights]`: usage counts for support and docs teams (off unless turned on).
    pub insights: InsightsConfig,
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
        }
    }
}

impl KbConfig {
    /// What the bundle tells the widget.
    pub fn widget_config(&self) -> WidgetConfig {
        WidgetConfig {
            title: self.title.clone(),
            delivery: self.delivery.clone(),
            support: self.support.clone(),
            triage: self.triage.clone(),
            ticket: self.ticket.clone(),
            strings: self.strings.clone(),
            insights: self.insights.clone(),
        }
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
        let json = serde_json::to_value(config.widget_config()).unwrap();
        assert_eq!(json["title"], "Help");
        assert!(json.get("exclude").is_none() && json.get("guides").is_none());
    }
}
