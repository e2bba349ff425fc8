//! Line numbers of byte offsets, from an index of line starts built once
//! per text: finding the line of any offset is a binary search, so tagging
//! or locating every item of a file is linear in its size, not quadratic.

#[cfg(test)]
thread_local! {
    /// Bytes scanned to build line indexes on this thread (for tests that
    /// parsing reads each file once).
    pub(crate) static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The byte offset at which each line of a text starts.
#[derive(Clone, Debug)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`: one pass over its bytes.
    pub(crate) fn new(text: &str) -> Self {
        #[cfg(test)]
        SCANNED.with(|s| s.set(s.get() + text.len()));
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The 1-based line of byte `offset` (an offset past the end is on the
    /// last line).
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    /// The byte offset at which 1-based `line` starts (the text's end for
    /// a line past the last).
    pub(crate) fn start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or_else(|| *self.starts.last().unwrap_or(&0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_offsets() {
        let text = "ab\n\ncd\n";
        let index = LineIndex::new(text);
        let lines: Vec<usize> = (0..=text.len() + 3).map(|o| index.line(o)).collect();
        assert_eq!(lines, [1, 1, 1, 2, 3, 3, 3, 4, 4, 4, 4]);
        assert_eq!(LineIndex::new("").line(0), 1);
        let starts: Vec<usize> = (1..=4).map(|l| index.start(l)).collect();
        assert_eq!(starts, [0, 3, 4, 7]);
    }
}
