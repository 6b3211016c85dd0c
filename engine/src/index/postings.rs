//! Posting lists on the wire: delta-encoded, about three bytes a posting, validated once
//! when a bundle is read (so lookups afterwards cannot fail).

use serde::{Deserialize, Serialize};

use super::model::{Field, Posting};
use super::windows::Windows;

/// The postings of one term, delta-encoded: for each posting in (doc, field) order,
/// `LEB128(doc - previous doc)`, then one byte `field | min(tf, 63) << 2`, then
/// `LEB128(tf - 63)` when tf ≥ 63; a body posting then has its windows (at least one),
/// each as `LEB128(delta << 1 | more)`, the first delta from 0, `more` set when another
/// follows. A title or summary posting's window is 0 (the article's header); headings
/// have none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingList(Vec<u8>);

impl PostingList {
    /// Encodes `postings`, which must be sorted by (doc, field).
    pub fn encode(postings: &[Posting]) -> PostingList {
        let mut bytes = Vec::with_capacity(postings.len() * 3);
        let mut previous = 0;
        for p in postings {
            write_leb128(&mut bytes, p.doc - previous);
            previous = p.doc;
            let tf = u32::from(p.tf);
            bytes.push(p.field as u8 | (tf.min(63) as u8) << 2);
            if tf >= 63 {
                write_leb128(&mut bytes, tf - 63);
            }
            if p.field == Field::Body {
                // No windows (the term occurs only past MAX_POSITION): window 0, which is
                // the title's and never a body window.
                let windows = match p.windows.as_slice() {
                    [] => &[0][..],
                    windows => windows,
                };
                let mut previous = 0;
                for (i, w) in windows.iter().enumerate() {
                    let more = u32::from(i + 1 < windows.len());
                    write_leb128(&mut bytes, (w - previous) << 1 | more);
                    previous = *w;
                }
            }
        }
        PostingList(bytes)
    }

    /// Decodes the list; `None` if the bytes are not a valid list for `doc_count` documents.
    pub fn decode(&self, doc_count: usize) -> Option<Vec<Posting>> {
        let mut out = Vec::with_capacity(self.0.len() / 3);
        let mut at = 0;
        let mut doc = 0u32;
        while at < self.0.len() {
            doc = doc.checked_add(read_leb128(&self.0, &mut at)?)?;
            let packed = *self.0.get(at)?;
            at += 1;
            let field = *Field::ALL.get(usize::from(packed & 3))?;
            let mut tf = u32::from(packed >> 2);
            if tf == 63 {
                tf = tf.checked_add(read_leb128(&self.0, &mut at)?)?;
            }
            if doc as usize >= doc_count {
                return None;
            }
            let windows = match field {
                Field::Title | Field::Meta => Windows::TITLE,
                Field::Body => {
                    let mut windows = Windows::default();
                    let mut w = 0u32;
                    loop {
                        let value = read_leb128(&self.0, &mut at)?;
                        w = w.checked_add(value >> 1)?;
                        if value == 0 && windows.len == 0 {
                            break; // window 0: none
                        }
                        // More windows than a posting keeps: not a list this engine wrote.
                        *windows.at.get_mut(usize::from(windows.len))? = w;
                        windows.len += 1;
                        if value & 1 == 0 {
                            break;
                        }
                    }
                    windows
                }
                Field::Heading => Windows::default(),
            };
            out.push(Posting {
                doc,
                field,
                tf: tf.min(u32::from(u16::MAX)) as u16,
                windows,
            });
        }
        Some(out)
    }

    /// Encoded size: grows with the number of postings (a cheap stand-in for frequency).
    pub fn encoded_len(&self) -> usize {
        self.0.len()
    }
}

fn write_leb128(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_leb128(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut value = 0u32;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::windows::MAX_POSITION;

    fn posting(doc: u32, field: Field, tf: u16, windows: Windows) -> Posting {
        Posting {
            doc,
            field,
            tf,
            windows,
        }
    }

    #[test]
    fn posting_lists_round_trip_including_large_numbers() {
        let postings = [
            posting(0, Field::Title, 1, Windows::TITLE),
            posting(
                0,
                Field::Body,
                62,
                Windows::of_body_positions([0, 3, 9, 700, 900]),
            ),
            posting(300, Field::Meta, 63, Windows::TITLE),
            posting(70_000, Field::Heading, u16::MAX, Windows::default()),
            posting(
                70_000,
                Field::Body,
                2,
                Windows::of_body_positions([u32::MAX - 9]),
            ),
        ];
        let list = PostingList::encode(&postings);
        assert_eq!(list.decode(70_001), Some(postings.to_vec()));
        assert_eq!(
            list.decode(70_000),
            None,
            "a document past the end is rejected"
        );
        assert_eq!(
            PostingList(vec![0x80]).decode(10),
            None,
            "an unfinished number is rejected"
        );
        assert_eq!(
            PostingList(vec![0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0]).decode(10),
            None
        );
        assert_eq!(
            PostingList(vec![0, 3 | 1 << 2, 1, 1, 1, 1, 1, 1, 0]).decode(10),
            None,
            "more windows than a posting holds are rejected"
        );
        assert_eq!(
            PostingList(vec![0, 3 | 1 << 2, 3]).decode(10),
            None,
            "a window announced and missing is rejected"
        );
    }

    #[test]
    fn windows_are_where_a_term_first_appears() {
        let w = Windows::of_body_positions([0, 1, 7, 30, 31, 50, 90, 200]);
        assert_eq!(w.as_slice(), [1], "8 words a window, the first kept");
        let late = Windows::of_body_positions([MAX_POSITION, MAX_POSITION + 1]);
        assert_eq!(
            late.as_slice(),
            [] as [u32; 0],
            "only the article's start counts"
        );
        let list = PostingList::encode(&[posting(3, Field::Body, 2, late)]);
        assert_eq!(list.decode(4).unwrap()[0].windows, late);
    }
}
