//! JSON through the browser's own `JSON.parse` / `JSON.stringify`: serde walks JS values
//! (serde-wasm-bindgen) instead of shipping a JSON parser and printer in the wasm.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// `value` as JSON text.
pub fn to_string<T: Serialize>(value: &T) -> Option<String> {
    let js = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&js).ok()?.as_string()
}

/// JSON text as a `T`; `None` when it is not JSON or not that shape.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_wasm_bindgen::from_value(js_sys::JSON::parse(text).ok()?).ok()
}
