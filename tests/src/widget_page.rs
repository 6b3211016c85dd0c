//! Page object for the widget on the demo page: every lookup goes through the element's
//! shadow root by `data-testid`, and waits (bounded) for the widget to render it.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

/// WebDriver key codes.
pub const TAB: char = '\u{E004}';
pub const ENTER: char = '\u{E007}';
pub const ESCAPE: char = '\u{E00C}';

/// How long a journey step may take to appear (wasm load included).
const WAIT: Duration = Duration::from_secs(15);

pub struct WidgetPage<'a> {
    client: &'a Client,
}

impl<'a> WidgetPage<'a> {
    /// Navigates to `url` and waits for the widget to finish loading.
    pub async fn open(client: &'a Client, url: &str) -> Result<WidgetPage<'a>> {
        let page = WidgetPage::visit(client, url).await?;
        let loaded = || async {
            Ok(client
                .find(Locator::Css("fixpath-widget[data-ready]"))
                .await
                .is_ok())
        };
        page.wait_for(loaded, "the widget to load").await?;
        Ok(page)
    }

    /// Navigates to `url` without waiting for the widget (a launcher loads it on demand).
    /// Starts recording CSP violations at once: the widget loads when the page is idle.
    pub async fn visit(client: &'a Client, url: &str) -> Result<WidgetPage<'a>> {
        client
            .goto(url)
            .await
            .with_context(|| format!("opening {url}"))?;
        client
            .execute(
                // Scripts the test injects through WebDriver (axe-core) have no source file;
                // their violations are the test's, not the page's. Page and widget scripts
                // always have a URL.
                "window.__cspViolations = [];
                 document.addEventListener('securitypolicyviolation', e => {
                   if (e.sourceFile) window.__cspViolations.push(
                     e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' from ' + e.sourceFile + ':' + e.lineNumber);
                 });",
                vec![],
            )
            .await?;
        Ok(WidgetPage { client })
    }

    /// Every element with `data-testid=id` currently in the widget.
    pub async fn all(&self, id: &str) -> Result<Vec<Element>> {
        let host = self.client.find(Locator::Css("fixpath-widget")).await?;
        let root = host.shadow_root().await?;
        Ok(root
            .find_all(Locator::Css(&format!("[data-testid='{id}']")))
            .await?)
    }

    /// The first element with `data-testid=id`, waiting for it to appear.
    pub async fn get(&self, id: &str) -> Result<Element> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(first) = self.all(id).await?.into_iter().next() {
                return Ok(first);
            }
            if Instant::now() > deadline {
                bail!("no element with data-testid={id} appeared in the widget");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of the first element `id`, once one shows. The widget may replace the
    /// element while it is read (the sending screen becomes the sent screen, both showing
    /// the reference), so a stale element is looked up again rather than failing.
    pub async fn text(&self, id: &str) -> Result<String> {
        let mut attempt = 0;
        loop {
            match self.get(id).await?.text().await {
                Ok(text) => return Ok(text),
                Err(err) if attempt == 3 => return Err(err.into()),
                Err(_) => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }

    /// Waits until the element `id` shows text containing `needle`; returns the text.
    pub async fn wait_text(&self, id: &str, needle: &str) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = match self.all(id).await?.into_iter().next() {
                Some(e) => e.text().await.unwrap_or_default(),
                None => String::new(),
            };
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                bail!("data-testid={id} shows {text:?}, never {needle:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The current value of the form control `id`.
    pub async fn value(&self, id: &str) -> Result<String> {
        Ok(self.get(id).await?.prop("value").await?.unwrap_or_default())
    }

    /// Types into the control `id` (appending to what is there).
    pub async fn type_into(&self, id: &str, text: &str) -> Result<()> {
        self.get(id)
            .await?
            .send_keys(text)
            .await
            .with_context(|| format!("typing into {id}"))
    }

    /// Types into several controls: (data-testid, text) pairs.
    pub async fn fill(&self, fields: &[(&str, &str)]) -> Result<()> {
        for (id, text) in fields {
            self.type_into(id, text).await?;
        }
        Ok(())
    }

    /// Chooses the option with `value` in the select `id`.
    pub async fn select(&self, id: &str, value: &str) -> Result<()> {
        self.get(id)
            .await?
            .select_by_value(value)
            .await
            .with_context(|| format!("choosing {value} in {id}"))
    }

    pub async fn click(&self, id: &str) -> Result<()> {
        self.get(id)
            .await?
            .click()
            .await
            .with_context(|| format!("clicking {id}"))
    }

    /// Clicks the element `id` that reads `label` (e.g. one answer of a question), waiting
    /// for it to appear.
    pub async fn click_labelled(&self, id: &str, label: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            for e in self.all(id).await? {
                if e.text().await.unwrap_or_default() == label {
                    return e
                        .click()
                        .await
                        .with_context(|| format!("clicking {id} {label:?}"));
                }
            }
            if Instant::now() > deadline {
                bail!(
                    "no data-testid={id} reading {label:?}; there are {:?}",
                    self.texts(id).await?
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The texts of every element `id`. A list re-rendered while it is read (results update
    /// as posting shards arrive) is read again, a few times at most.
    pub async fn texts(&self, id: &str) -> Result<Vec<String>> {
        let mut attempt = 0;
        loop {
            let mut out = Vec::new();
            let mut stale = None;
            for e in self.all(id).await? {
                match e.text().await {
                    Ok(text) => out.push(text),
                    Err(err) => {
                        stale = Some(err);
                        break;
                    }
                }
            }
            match stale {
                None => return Ok(out),
                Some(err) if attempt == 3 => return Err(err.into()),
                Some(_) => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }

    /// Presses one key (a character, or a WebDriver key such as [`TAB`]) wherever focus is.
    pub async fn press(&self, key: char) -> Result<()> {
        self.type_here(&key.to_string()).await
    }

    /// Types `text` wherever focus is, as a keyboard would.
    pub async fn type_here(&self, text: &str) -> Result<()> {
        let mut keys = KeyActions::new("keyboard".into());
        for c in text.chars() {
            keys = keys
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(keys).await?;
        Ok(())
    }

    /// The `data-testid` of the focused element inside the widget (its tag name if it has
    /// none), or `page:TAG` when focus is outside the widget.
    pub async fn focused(&self) -> Result<String> {
        let found = self
            .client
            .execute(
                "const a = document.querySelector('fixpath-widget').shadowRoot.activeElement;
                 if (!a) return 'page:' + (document.activeElement ? document.activeElement.tagName : 'none');
                 return a.dataset.testid || a.tagName.toLowerCase();",
                vec![],
            )
            .await?;
        Ok(found.as_str().unwrap_or_default().to_string())
    }

    /// Waits (bounded) until focus is on `id`.
    pub async fn wait_focus(&self, id: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let now = self.focused().await?;
            if now == id {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("focus stayed on {now:?}, never reached {id:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Presses Tab until focus is on `id` (at most 60 times).
    pub async fn tab_to(&self, id: &str) -> Result<()> {
        for _ in 0..60 {
            if self.focused().await? == id {
                return Ok(());
            }
            self.press(TAB).await?;
        }
        bail!(
            "Tab never reached {id:?} (focus is on {:?})",
            self.focused().await?
        )
    }

    /// Fails if anything on the page broke the Content-Security-Policy since it opened.
    pub async fn check_no_csp_violations(&self) -> Result<()> {
        // Null (not an empty list) if the recorder was never installed: fail, don't pass.
        let found = self
            .client
            .execute("return window.__cspViolations;", vec![])
            .await?;
        let found: Vec<String> = serde_json::from_value(found)?;
        if !found.is_empty() {
            bail!("CSP violations: {found:?}");
        }
        Ok(())
    }

    /// Runs axe-core (FIXPATH_AXE, installed by `cargo xtask test`) over the widget,
    /// shadow root included, in light and in dark mode, and fails on any serious or
    /// critical WCAG 2.2 A/AA violation. `state` names the screen in the failure message.
    pub async fn check_accessibility(&self, state: &str) -> Result<()> {
        self.axe_in_both_modes("document.querySelector('fixpath-widget')", state)
            .await
    }

    /// Like [`WidgetPage::check_accessibility`], over the whole page around the widget
    /// (the preview's pages, the inbox).
    pub async fn check_page_accessibility(&self, state: &str) -> Result<()> {
        self.axe_in_both_modes("document", state).await
    }

    /// Axe in the page's colour scheme, then in the other one, and the page left as it was:
    /// a contrast that fails only in dark mode fails the check.
    async fn axe_in_both_modes(&self, context: &str, state: &str) -> Result<()> {
        let dark = self
            .client
            .execute(
                "return matchMedia('(prefers-color-scheme: dark)').matches;",
                vec![],
            )
            .await?
            .as_bool()
            .unwrap_or(false);
        let mode = |dark: bool| if dark { "dark" } else { "light" };
        self.axe(context, &format!("{state} ({})", mode(dark)))
            .await?;
        crate::emulate_dark_mode(self.client, !dark).await?;
        let other = self
            .axe(context, &format!("{state} ({})", mode(!dark)))
            .await;
        crate::emulate_dark_mode(self.client, dark).await?;
        other
    }

    async fn axe(&self, context: &str, state: &str) -> Result<()> {
        let path = std::env::var_os("FIXPATH_AXE")
            .context("FIXPATH_AXE is not set: run this through `cargo xtask test`")?;
        let axe = std::fs::read_to_string(&path)?;
        // Sent as the script itself (not eval'd by the page), so the page's CSP allows it.
        self.client
            .execute(&format!("{axe}\n;return null;"), vec![])
            .await?;
        let report = self
            .client
            .execute_async(
                &r#"const done = arguments[arguments.length - 1];
                   axe.run(CONTEXT, {
                       runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                       resultTypes: ['violations'],
                   }).then(r => done(r.violations
                       .filter(v => v.impact === 'serious' || v.impact === 'critical')
                       .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)),
                     e => done([`axe failed: ${e}`]));"#
                    .replace("CONTEXT", context),
                vec![],
            )
            .await?;
        let violations: Vec<String> = serde_json::from_value(report)?;
        if !violations.is_empty() {
            bail!(
                "accessibility violations on the {state} screen:\n{}",
                violations.join("\n")
            );
        }
        Ok(())
    }

    async fn wait_for<F, Fut>(&self, mut check: F, what: &str) -> Result<()>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<bool>>,
    {
        let deadline = Instant::now() + WAIT;
        while !check().await? {
            if Instant::now() > deadline {
                bail!("timed out waiting for {what}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }
}
