//! Sorting and paging of a table on a page: which column it is sorted by
//! and in which direction, which page of rows is shown, and the links of
//! the column headers and the pager, each keeping the rest of the page's
//! address. The rows themselves are sorted by the page that owns them; this
//! module only reads the request and writes the links.

use std::cmp::Ordering;
use std::ops::Range;

use serde::Deserialize;

/// The table's part of a page's query string: `sort`, `dir` (`asc` or
/// `desc`) and `page` (from 1), as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    pub(crate) sort: String,
    #[serde(default)]
    pub(crate) dir: String,
    #[serde(default)]
    pub(crate) page: String,
}

/// A column of a table, which it may be sorted by unless its key is empty.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    /// Its name in the address (`sort=`), empty for a column that does not
    /// sort.
    pub(crate) key: &'static str,
    /// Its header.
    pub(crate) label: &'static str,
    /// Whether it first sorts from the largest (the newest day, say).
    pub(crate) descending_first: bool,
}

/// A table's columns, the one it sorts by unless asked, and its rows a
/// page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table {
    pub(crate) columns: &'static [Column],
    /// The key of the column sorted by when the address names none.
    pub(crate) default: &'static str,
    pub(crate) per_page: usize,
}

/// A column header as the template draws it.
#[derive(Debug)]
pub(crate) struct Header {
    pub(crate) label: &'static str,
    /// Sorts by this column, or the other way round when it is the one
    /// sorted by; empty for a column that does not sort.
    pub(crate) href: String,
    /// `ascending` or `descending` on the column sorted by, for
    /// `aria-sort`; empty on the others.
    pub(crate) sorted: &'static str,
}

/// One page of a sorted table.
#[derive(Debug)]
pub(crate) struct Listing {
    /// The column sorted by.
    pub(crate) sort: &'static str,
    pub(crate) descending: bool,
    /// The page shown (from 1) and how many there are.
    pub(crate) page: usize,
    pub(crate) pages: usize,
    /// How many rows there are in all.
    pub(crate) total: usize,
    /// The rows of the page shown, as positions in the sorted table.
    rows: Range<usize>,
    pub(crate) headers: Vec<Header>,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
}

impl Listing {
    /// Reads `query` for `table` holding `total` rows. Links go to `path`
    /// with `kept` (already encoded `name=value` pairs) and end in
    /// `anchor` (`#id` of the table's section, or empty).
    pub(crate) fn read(
        query: &ListQuery,
        table: &Table,
        total: usize,
        path: &str,
        kept: &[String],
        anchor: &str,
    ) -> Self {
        let columns = table.columns;
        let sortable = |key: &str| {
            columns
                .iter()
                .copied()
                .find(|c| !c.key.is_empty() && c.key == key)
        };
        let column = sortable(query.sort.trim())
            .or_else(|| sortable(table.default))
            .unwrap_or(Column {
                key: "",
                label: "",
                descending_first: false,
            });
        let descending = match query.dir.trim() {
            "asc" => false,
            "desc" => true,
            _ => column.descending_first,
        };
        let per_page = table.per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        let page = query
            .page
            .trim()
            .parse::<usize>()
            .unwrap_or(1)
            .clamp(1, pages);
        let start = ((page - 1) * per_page).min(total);
        let link = |sort: &str, descending: bool, page: usize| {
            let mut parts = kept.to_vec();
            parts.push(format!("sort={sort}"));
            parts.push(format!("dir={}", if descending { "desc" } else { "asc" }));
            if page > 1 {
                parts.push(format!("page={page}"));
            }
            format!("{path}?{}{anchor}", parts.join("&"))
        };
        let headers = columns
            .iter()
            .map(|c| {
                let current = c.key == column.key;
                Header {
                    label: c.label,
                    href: if c.key.is_empty() {
                        String::new()
                    } else if current {
                        link(c.key, !descending, 1)
                    } else {
                        link(c.key, c.descending_first, 1)
                    },
                    sorted: match (current, descending) {
                        (false, _) => "",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    },
                }
            })
            .collect();
        Self {
            sort: column.key,
            descending,
            page,
            pages,
            total,
            rows: start..(start + per_page).min(total),
            headers,
            previous: (page > 1).then(|| link(column.key, descending, page - 1)),
            next: (page < pages).then(|| link(column.key, descending, page + 1)),
        }
    }

    /// `ordering` of two rows by the column sorted by, turned round when
    /// the table sorts descending.
    pub(crate) fn order(&self, ordering: Ordering) -> Ordering {
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }

    /// The rows of the page shown, out of the sorted table.
    pub(crate) fn page_of<'a, T>(&self, sorted: &'a [T]) -> &'a [T] {
        sorted
            .get(self.rows.clone())
            .unwrap_or(&sorted[sorted.len()..])
    }

    /// The position of the first row shown, from 1.
    pub(crate) fn first(&self) -> usize {
        self.rows.start + 1
    }

    /// The position of the last row shown.
    pub(crate) fn last(&self) -> usize {
        self.rows.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: Table = Table {
        columns: &[
            Column {
                key: "name",
                label: "Name",
                descending_first: false,
            },
            Column {
                key: "day",
                label: "Day",
                descending_first: true,
            },
            Column {
                key: "",
                label: "Notes",
                descending_first: false,
            },
        ],
        default: "name",
        per_page: 50,
    };

    fn query(sort: &str, dir: &str, page: &str) -> ListQuery {
        ListQuery {
            sort: sort.to_owned(),
            dir: dir.to_owned(),
            page: page.to_owned(),
        }
    }

    #[test]
    fn the_first_column_ascending_and_the_first_page_by_default() {
        let listing = Listing::read(&query("", "", ""), &TABLE, 120, "/x", &[], "");
        assert_eq!((listing.sort, listing.descending), ("name", false));
        assert_eq!((listing.page, listing.pages), (1, 3));
        assert_eq!((listing.first(), listing.last()), (1, 50));
        assert_eq!(listing.previous, None);
        assert_eq!(listing.next.as_deref(), Some("/x?sort=name&dir=asc&page=2"));
        assert_eq!(listing.headers[0].sorted, "ascending");
        // The sorted column's header turns the order round; another starts
        // in its own first direction.
        assert_eq!(listing.headers[0].href, "/x?sort=name&dir=desc");
        assert_eq!(listing.headers[1].href, "/x?sort=day&dir=desc");
        // A column that does not sort has no link, and is never sorted by.
        assert_eq!(listing.headers[2].href, "");
        let by_notes = Listing::read(&query("", "", ""), &TABLE, 1, "/x", &[], "");
        assert_eq!(by_notes.sort, "name");
    }

    #[test]
    fn an_unknown_column_or_a_page_out_of_range_falls_back_to_what_exists() {
        let listing = Listing::read(
            &query("salary", "sideways", "99"),
            &TABLE,
            120,
            "/x",
            &["q=a%20b".to_owned()],
            "#t",
        );
        assert_eq!((listing.sort, listing.descending), ("name", false));
        assert_eq!(
            (listing.page, listing.first(), listing.last()),
            (3, 101, 120)
        );
        assert_eq!(
            listing.previous.as_deref(),
            Some("/x?q=a%20b&sort=name&dir=asc&page=2#t")
        );
        assert_eq!(listing.next, None);
        let rows: Vec<usize> = (0..120).collect();
        assert_eq!(listing.page_of(&rows), &rows[100..]);
    }

    #[test]
    fn a_column_that_starts_descending_and_an_empty_table() {
        let listing = Listing::read(&query("day", "", "0"), &TABLE, 0, "/x", &[], "");
        assert_eq!((listing.sort, listing.descending), ("day", true));
        assert_eq!(listing.order(Ordering::Less), Ordering::Greater);
        assert_eq!((listing.page, listing.pages), (1, 1));
        assert!(listing.page_of::<u8>(&[]).is_empty());
        assert_eq!(listing.headers[1].sorted, "descending");
        assert_eq!(listing.headers[1].href, "/x?sort=day&dir=asc");
    }
}
