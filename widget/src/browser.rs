//! Browser facts and calls: the current time, randomness for ticket ids, the environment
//! shown on the ticket, fetching the bundle and sending the ticket.

use std::collections::BTreeMap;
use std::sync::Arc;

use fixpath_engine::analyzer::Analyzer;
use fixpath_engine::bundle::{BundleReader, ContentChunk};
use fixpath_engine::config::{DeliveryConfig, Manifest, ManifestVersion, WidgetConfig};
use fixpath_engine::index::{ArticleShard, DictionaryShard, PostingShard, SearchIndex};
use fixpath_engine::language::{negotiate, Language};
use fixpath_engine::outbox::Pending;
use fixpath_engine::relay_api::{Refusal, FILL_TIME_HEADER, PROOF_HEADER, TRAP_HEADER};
use fixpath_engine::session::SendFailure;
use fixpath_engine::ticket::{new_ticket_id, EnvironmentItem, LocalDateTime, Ticket};
use fixpath_engine::zendesk::zendesk_request;
use fixpath_engine::ENGINE_VERSION;
use gloo_net::http::Request;

/// A loaded, verified search bundle, ready to search.
pub struct Loaded {
    pub kb_url: String,
    pub manifest: Manifest,
    pub index: SearchIndex,
    pub analyzer: Analyzer,
}

/// Why search is unavailable, with the kb config when the manifest itself was readable
/// (so tickets still go where the kb says).
pub struct LoadError {
    pub reason: String,
    pub config: Option<WidgetConfig>,
}

/// Fetches `manifest.json` (always fresh) and the content-hashed index it names. A kb in
/// several languages gets the bundle of the first of `wanted` it has (see
/// [`fixpath_engine::language::negotiate`]), else its default language's.
pub async fn fetch_bundle(kb_url: &str, wanted: &[String]) -> Result<Arc<Loaded>, LoadError> {
    let mut manifest = fetch_manifest(kb_url).await?;
    let mut kb_url = kb_url.to_string();
    if let Some(path) = language_path(&manifest.config, wanted) {
        let url = join_url(&kb_url, &path);
        match fetch_manifest(&url).await {
            Ok(translated) => {
                manifest = translated;
                kb_url = url;
            }
            // The default language's bundle is here and works: better than nothing.
            Err(e) => leptos::logging::warn!("fixpath: {}", e.reason),
        }
    }
    let with_config = |reason: String| LoadError {
        reason,
        config: Some(manifest.config.clone()),
    };
    let bytes = fetch_bytes(&join_url(&kb_url, &manifest.index_file))
        .await
        .map_err(with_config)?;
    let index = BundleReader::index_for(&bytes, manifest.article_count)
        .map_err(|e| with_config(e.to_string()))?;
    let language = manifest.config.language();
    let analyzer = if language.is_english() {
        Analyzer::default()
    } else if language.snowball().is_none() {
        // Nothing to stem with (Hebrew, Japanese…): no piece to fetch.
        Analyzer::new(language, None)
    } else {
        // Other languages' stemmers are a piece of their own, fetched by pages that need
        // one; if it cannot be fetched, words are matched unstemmed rather than not at all.
        crate::deferred::analyzer(language.clone())
            .await
            .unwrap_or_else(|_| Analyzer::new(language, None))
    };
    Ok(Arc::new(Loaded {
        kb_url,
        manifest,
        index,
        analyzer,
    }))
}

/// The folder of the language `wanted` gets, when the kb has several and it is not the one
/// `config` is in.
fn language_path(config: &WidgetConfig, wanted: &[String]) -> Option<String> {
    let available: Vec<Language> = config
        .languages
        .iter()
        .filter_map(|l| Language::parse(&l.tag))
        .collect();
    let default = available.first()?;
    let chosen = negotiate(&available, wanted.iter().map(String::as_str), default);
    if *chosen == config.language() {
        return None;
    }
    let choice = config.languages.iter().find(|l| l.tag == chosen.tag())?;
    Some(choice.path.clone())
}

/// The languages the customer wants, most wanted first: `chosen` (picked in the widget's
/// switcher), the `lang` attribute of the `<fixpath-widget>` element, the page's `lang`,
/// then the browser's languages.
pub fn wanted_languages(
    chosen: Option<String>,
    host: Option<&web_sys::HtmlElement>,
) -> Vec<String> {
    let element = host.and_then(|h| h.get_attribute("lang"));
    let page = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"));
    let browser = web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    chosen
        .into_iter()
        .chain(element)
        .chain(page)
        .chain(browser)
        .filter(|tag| !tag.trim().is_empty())
        .collect()
}

/// Fetches and reads a bundle's `manifest.json`, always fresh.
async fn fetch_manifest(kb_url: &str) -> Result<Manifest, LoadError> {
    let no_config = |reason: String| LoadError {
        reason,
        config: None,
    };
    let manifest_url = join_url(kb_url, "manifest.json");
    let response = Request::get(&manifest_url)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| no_config(format!("could not fetch {manifest_url}: {e}")))?;
    if !response.ok() {
        return Err(no_config(format!(
            "{manifest_url} answered {}",
            response.status()
        )));
    }
    let text = response
        .text()
        .await
        .map_err(|e| no_config(format!("could not read {manifest_url}: {e}")))?;
    let version: ManifestVersion = crate::json::from_str(&text)
        .ok_or_else(|| no_config(format!("{manifest_url} is not a Fixpath manifest")))?;
    if !version.is_readable() {
        // Tickets still go where the kb says, if its config can be read.
        let config = crate::json::from_str::<ConfigOnly>(&text).map(|c| c.config);
        return Err(LoadError {
            reason: version.why_unreadable(),
            config,
        });
    }
    let manifest: Manifest = crate::json::from_str(&text)
        .ok_or_else(|| no_config("manifest is not valid JSON of the expected shape".into()))?;
    if manifest.engine_version != ENGINE_VERSION {
        // Same format, other rules (analyzer, ranking): results may differ from `fixpath
        // search`; worth telling the site owner, not the customer.
        leptos::logging::warn!(
            "fixpath: this help index was written by fixpath {}, the widget is {ENGINE_VERSION}; publish both from one `fixpath build`",
            manifest.engine_version
        );
    }
    Ok(manifest)
}

/// A manifest of any format, for its config alone.
#[derive(serde::Deserialize)]
struct ConfigOnly {
    config: WidgetConfig,
}

/// Fetches and verifies content chunk `n` (the guides of its articles).
pub async fn fetch_content(loaded: &Loaded, n: usize) -> Result<Arc<ContentChunk>, String> {
    let bytes = fetch_listed(loaded, &loaded.manifest.content_files, n).await?;
    let chunk = BundleReader::content(&bytes).map_err(|e| e.to_string())?;
    Ok(Arc::new(chunk))
}

/// Fetches and verifies article shard `n` (ids, titles, summaries) of the loaded bundle.
pub async fn fetch_articles(loaded: &Loaded, n: usize) -> Result<ArticleShard, String> {
    let bytes = fetch_listed(loaded, &loaded.manifest.article_files, n).await?;
    BundleReader::articles(&bytes, &loaded.index, n).map_err(|e| e.to_string())
}

/// Fetches and verifies dictionary shard `n` of the loaded bundle.
pub async fn fetch_dictionary(loaded: &Loaded, n: usize) -> Result<DictionaryShard, String> {
    let bytes = fetch_listed(loaded, &loaded.manifest.dictionary_files, n).await?;
    BundleReader::dictionary(&bytes, &loaded.index, n).map_err(|e| e.to_string())
}

/// Fetches and verifies posting shard `n` of the loaded bundle.
pub async fn fetch_postings(loaded: &Loaded, n: usize) -> Result<PostingShard, String> {
    let bytes = fetch_listed(loaded, &loaded.manifest.postings_files, n).await?;
    BundleReader::postings(&bytes, &loaded.index, n).map_err(|e| e.to_string())
}

/// GETs file `n` of one of the manifest's file lists.
async fn fetch_listed(loaded: &Loaded, files: &[String], n: usize) -> Result<Vec<u8>, String> {
    let file = files.get(n).ok_or("the manifest lists no such file")?;
    fetch_bytes(&join_url(&loaded.kb_url, file)).await
}

/// GETs a content-hashed (immutable, cacheable) bundle file.
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| format!("could not fetch {url}: {e}"))?;
    if !response.ok() {
        return Err(format!("{url} answered {}", response.status()));
    }
    response
        .binary()
        .await
        .map_err(|e| format!("could not read {url}: {e}"))
}

fn join_url(base: &str, file: &str) -> String {
    if base.ends_with('/') {
        format!("{base}{file}")
    } else {
        format!("{base}/{file}")
    }
}

/// Sends the ticket with the kb's adapter: `webhook` POSTs the ticket JSON with its id as the
/// `Idempotency-Key`, `relay` the same to the relay's `/v1/tickets`; `zendesk` POSTs a
/// Requests API request. A relay's refusal is told in the customer's words.
pub async fn send_ticket(
    delivery: &DeliveryConfig,
    strings: &BTreeMap<String, String>,
    pending: &Pending,
) -> Result<(), SendFailure> {
    let ticket = &pending.ticket;
    let url = delivery.endpoint();
    let (request, body) = match delivery.kind.as_str() {
        "zendesk" => (
            Request::post(&url),
            crate::json::to_string(&zendesk_request(ticket)),
        ),
        "relay" => {
            let mut request = Request::post(&url)
                .header("Idempotency-Key", &ticket.id)
                .header(FILL_TIME_HEADER, &pending.form.fill_ms.to_string())
                .header(TRAP_HEADER, &pending.form.trap);
            // A fresh proof for every attempt: each is accepted once.
            if let Some(proof) = crate::proof_of_work::solve_for(delivery).await? {
                request = request.header(PROOF_HEADER, &proof);
            }
            (request, crate::json::to_string(ticket))
        }
        _ => (
            Request::post(&url).header("Idempotency-Key", &ticket.id),
            crate::json::to_string(ticket),
        ),
    };
    let body =
        body.ok_or_else(|| SendFailure::Rejected("the ticket could not be encoded".into()))?;
    let request = request
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|e| SendFailure::Rejected(e.to_string()))?;
    let response = request.send().await.map_err(|e| {
        // The browser's own words for it are for the console; the customer gets theirs.
        leptos::logging::warn!("fixpath: sending the ticket: {e}");
        SendFailure::Retryable(fixpath_engine::strings::text(
            strings,
            "send.reason.network",
            &[],
        ))
    })?;
    let status = response.status();
    if (200..=299).contains(&status) {
        return Ok(());
    }
    let refusal = match delivery.kind.as_str() {
        "relay" => response
            .text()
            .await
            .ok()
            .and_then(|text| crate::json::from_str::<Refusal>(&text)),
        _ => None,
    };
    Err(SendFailure::from_response(status, refusal, strings))
}

/// Now, in the customer's time zone.
pub fn now() -> LocalDateTime {
    let d = crate::clock::now();
    LocalDateTime {
        year: d.get_full_year(),
        month: d.get_month() + 1,
        day: d.get_date(),
        hour: d.get_hours(),
        minute: d.get_minutes(),
        second: d.get_seconds(),
        offset_minutes: -(d.get_timezone_offset() as i32),
    }
}

/// Eight random bytes from Web Crypto; without it (very old browsers), the clock and
/// `Math.random` still make them distinct.
pub fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if crypto.is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok()) {
        u64::from_le_bytes(bytes)
    } else {
        js_sys::Date::now() as u64 ^ (js_sys::Math::random() * 1e15) as u64
    }
}

/// A fresh ticket with a random reference.
pub fn new_ticket() -> Ticket {
    let mut ticket = Ticket::new(new_ticket_id(random_u64()), now().to_iso());
    ticket.environment = environment();
    ticket
}

/// What support usually asks for, gathered automatically (shown and removable).
fn environment() -> Vec<EnvironmentItem> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let navigator = window.navigator();
    let mut items = Vec::new();
    let mut add = |key: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            items.push(EnvironmentItem {
                key: key.to_string(),
                value,
            });
        }
    };
    add("page_url", window.location().href().ok());
    add("browser", navigator.user_agent().ok());
    add("language", navigator.language());
    let size = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    add(
        "viewport",
        Some(format!(
            "{}×{}",
            size(window.inner_width()),
            size(window.inner_height())
        )),
    );
    add("time_zone", time_zone());
    items
}

fn time_zone() -> Option<String> {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
}
