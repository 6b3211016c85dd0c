//! Where in its article a term occurs, coarsely ([`Windows`]): what proximity ranking
//! reads, and what a body posting carries.

/// Body words with positions: proximity looks at the start of an article, where it
/// describes the problem (and small numbers keep the bundle small).
pub const MAX_POSITION: u32 = 512;
/// Words per proximity window.
pub const WINDOW_WORDS: u32 = 8;
/// Windows kept per body posting: where the term first appears. Where a help article
/// names the problem matters more than its tenth mention, and the cap bounds bundle size
/// and ranking work (on the eval kit, keeping 2, 4 or 8 ranks no better).
pub const MAX_WINDOWS: usize = 1;

/// Where in its article a term occurs, coarsely: the first `MAX_WINDOWS` distinct
/// windows of `WINDOW_WORDS` words in reading order, among the first `MAX_POSITION`
/// words. The title and summary are window 0 (the article's header) and the body starts
/// at window 1, so a title word is near the body's first sentence (the engine's
/// `proximity` module says what *near* is).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Windows {
    pub(super) len: u8,
    pub(super) at: [u32; MAX_WINDOWS],
}

impl Windows {
    /// The title's and the summary's: window 0.
    pub const TITLE: Windows = Windows {
        len: 1,
        at: [0; MAX_WINDOWS],
    };

    /// From word positions in the body (ascending, as an index gives them); positions
    /// past `MAX_POSITION` are left out.
    pub fn of_body_positions(positions: impl IntoIterator<Item = u32>) -> Windows {
        Windows::from_ascending(
            positions
                .into_iter()
                .take_while(|p| *p < MAX_POSITION)
                .map(|p| p / WINDOW_WORDS + 1),
        )
    }

    fn from_ascending(windows: impl IntoIterator<Item = u32>) -> Windows {
        let mut out = Windows::default();
        for w in windows {
            if usize::from(out.len) == MAX_WINDOWS {
                break;
            }
            if out.as_slice().last() != Some(&w) {
                out.at[usize::from(out.len)] = w;
                out.len += 1;
            }
        }
        out
    }

    pub fn as_slice(&self) -> &[u32] {
        &self.at[..usize::from(self.len)]
    }
}
