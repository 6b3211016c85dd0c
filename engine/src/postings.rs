//! Posting lists on the wire: delta-encoded, about two bytes a posting, validated once when
//! a bundle is read (so lookups afterwards cannot fail).

use serde::{Deserialize, Serialize};

use crate::bundle::{Field, Posting};

/// The postings of one term, delta-encoded: for each posting in (doc, field) order,
/// `LEB128(doc - previous doc)`, then one byte `field | min(tf, 63) << 2`, then
/// `LEB128(tf - 63)` when tf ≥ 63. About two bytes a posting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingList(Vec<u8>);

impl PostingList {
    /// Encodes `postings`, which must be sorted by (doc, field).
    pub fn encode(postings: &[Posting]) -> PostingList {
        let mut bytes = Vec::with_capacity(postings.len() * 2);
        let mut previous = 0;
        for p in postings {
            write_leb128(&mut bytes, p.doc - previous);
            previous = p.doc;
            let tf = u32::from(p.tf);
            bytes.push(p.field as u8 | (tf.min(63) as u8) << 2);
            if tf >= 63 {
                write_leb128(&mut bytes, tf - 63);
            }
        }
        PostingList(bytes)
    }

    /// Decodes the list; `None` if the bytes are not a valid list for `doc_count` documents.
    pub fn decode(&self, doc_count: usize) -> Option<Vec<Posting>> {
        let mut out = Vec::with_capacity(self.0.len() / 2);
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
            out.push(Posting {
                doc,
                field,
                tf: tf.min(u32::from(u16::MAX)) as u16,
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

    #[test]
    fn posting_lists_round_trip_including_large_numbers() {
        let postings = [
            Posting {
                doc: 0,
                field: Field::Title,
                tf: 1,
            },
            Posting {
                doc: 0,
                field: Field::Body,
                tf: 62,
            },
            Posting {
                doc: 300,
                field: Field::Meta,
                tf: 63,
            },
            Posting {
                doc: 70_000,
                field: Field::Heading,
                tf: u16::MAX,
            },
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
    }
}
