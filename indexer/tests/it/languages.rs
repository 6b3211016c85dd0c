//! A kb in two languages: one build writes a bundle per language into one folder, the
//! untranslated article published in the default language and listed as such; `search
//! --language` answers from the French bundle with French analysis; the same kb builds
//! the same bytes twice; a single-language kb's manifest says nothing of languages, and
//! its folder called `it` is a topic, not a language.

use super::{listing, TempKb, GOOD};

const FRENCH_UPLOAD: &str = "---\ntitle: L'envoi échoue\nerrors: [E-UP-413]\n---\n\n## Compresser le fichier\n\nLes fichiers volumineux sont refusés.\n";
const SLOW: &str = "# Slow pages\n\nClear the cache.\n";

fn bilingual() -> TempKb {
    TempKb::new(&[
        (
            "fixpath.toml",
            "title = \"Help\"\n[languages.fr]\ntitle = \"Aide\"\n",
        ),
        ("good.md", GOOD),
        ("other.md", SLOW),
        ("fr/good.md", FRENCH_UPLOAD),
    ])
}

fn manifest(kb: &TempKb, path: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(kb.path(path)).unwrap()).unwrap()
}

#[test]
fn each_language_gets_its_bundle_and_untranslated_articles_fall_back() {
    let kb = bilingual();
    let (code, stdout, stderr) = kb.run(&["build", "kb", "--out", "help"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("2 articles in en; also in fr (1 of 2 translated)"),
        "{stderr}{stdout}"
    );
    let en = manifest(&kb, "help/kb/manifest.json");
    let fr = manifest(&kb, "help/kb/fr/manifest.json");
    assert!(
        en["config"].get("language").is_none(),
        "English is the default"
    );
    assert_eq!(fr["config"]["language"], "fr");
    assert_eq!(fr["config"]["title"], "Aide");
    assert_eq!(
        fr["config"]["untranslated"],
        serde_json::json!(["other.md"])
    );
    assert_eq!(fr["config"]["strings"]["guide.fixed"], "C’est réglé");
    let languages = serde_json::json!([
        {"tag": "en", "name": "English", "path": ""},
        {"tag": "fr", "name": "Français", "path": "fr/"}
    ]);
    assert_eq!(en["config"]["languages"], languages);
    assert_eq!(fr["config"]["languages"], languages);
    assert_eq!(en["article_count"], 2);
    assert_eq!(fr["article_count"], 2);

    // French analysis: "volumineux" in the query meets the article's "volumineux", and
    // the English fallback is found in French too.
    let (code, stdout, _) = kb.run(&[
        "search",
        "--kb",
        "kb",
        "--language",
        "fr",
        "fichier volumineux",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with(" 1. L'envoi échoue  [good.md]"),
        "{stdout}"
    );
    let (_, stdout, _) = kb.run(&["search", "--kb", "kb", "--language", "fr-CA", "cache"]);
    assert!(stdout.contains("[other.md]"), "{stdout}");
    let (code, _, stderr) = kb.run(&["search", "--kb", "kb", "--language", "de", "cache"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the kb is not in de: it has en, fr"),
        "{stderr}"
    );
}

#[test]
fn a_bilingual_build_is_reproducible() {
    let kb = bilingual();
    kb.run(&["build", "kb", "--out", "a"]);
    kb.run(&["build", "kb", "--out", "b"]);
    let a = listing(&kb.path("a"));
    assert!(a.iter().any(|(name, _)| name == "kb/fr/manifest.json"));
    assert_eq!(a, listing(&kb.path("b")));
}

#[test]
fn a_kb_in_one_other_language_is_analyzed_in_it() {
    let kb = TempKb::new(&[
        ("fixpath.toml", "language = \"fr\"\n"),
        ("envoi.md", FRENCH_UPLOAD),
    ]);
    let (code, stdout, _) = kb.run(&["search", "--kb", "kb", "l’envoi de fichiers volumineux"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with(" 1. L'envoi échoue"), "{stdout}");
    kb.run(&["build", "kb", "--out", "help"]);
    let manifest = manifest(&kb, "help/kb/manifest.json");
    assert_eq!(manifest["config"]["language"], "fr");
    assert!(manifest["config"].get("languages").is_none());
    assert!(!kb.path("help/kb/fr").exists());
}

#[test]
fn a_language_declared_before_its_folder_exists_falls_back_whole() {
    let kb = TempKb::new(&[
        ("fixpath.toml", "title = \"Help\"\n[languages.de]\n"),
        ("other.md", SLOW),
    ]);
    let (code, _, stderr) = kb.run(&["build", "kb", "--out", "help"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("[languages.de]: there is no folder kb/de; every article is shown in the default language (en)"),
        "{stderr}"
    );
    let de = manifest(&kb, "help/kb/de/manifest.json");
    assert_eq!(
        de["config"]["untranslated"],
        serde_json::json!(["other.md"])
    );
}

#[test]
fn a_kb_in_one_language_keeps_a_topic_folder_named_like_a_language() {
    let kb = TempKb::new(&[("fixpath.toml", "title = \"Help\"\n"), ("it/slow.md", SLOW)]);
    let (code, _, stderr) = kb.run(&["check", "kb"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("language"), "{stderr}");
    let (code, stdout, stderr) = kb.run(&["search", "--kb", "kb", "slow pages"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with(" 1. Slow pages"), "{stdout}");
}
