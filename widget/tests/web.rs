//! Widget wiring in a real headless Chromium (wasm-bindgen-test): mount, wait a tick, read
//! the DOM. Run by `cargo xtask test`.

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(duration: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().unwrap();
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                duration.as_millis() as i32,
            )
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn mount(kb_url: &str) -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&container).unwrap();
    fixpath_widget::api::mount(container.clone(), kb_url.to_string(), None);
    container
}

async fn wait_for_text(container: &HtmlElement, needle: &str) -> String {
    for _ in 0..200 {
        let text = container.text_content().unwrap_or_default();
        if text.contains(needle) {
            return text;
        }
        sleep(Duration::from_millis(25)).await;
    }
    panic!("never showed {needle:?}: {:?}", container.text_content());
}

#[wasm_bindgen_test]
async fn a_missing_bundle_still_offers_the_contact_form() {
    let container = mount("/no-such-kb/");
    wait_for_text(&container, "Search is unavailable right now").await;
    let contact: HtmlElement = container
        .query_selector("[data-testid='contact']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    contact.click();
    wait_for_text(&container, "Send to support").await;
    assert!(container.query_selector("#fp-email").unwrap().is_some());
}
