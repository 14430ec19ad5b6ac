//! "Did you mean": the known word nearest to a misspelled one.

/// The candidate closest to `word`, if one is close enough to be a likely typo.
/// Case differences alone always count as close (`atmaxage` → `atMaxAge`).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        if c.to_lowercase() == lower {
            return Some(c);
        }
        let other = c.to_lowercase();
        let mut score = strsim::jaro_winkler(&lower, &other);
        // Short words: two edits can still be a typo (`navn` for `name`).
        let edits = strsim::osa_distance(&lower, &other);
        if edits <= 2 && edits * 2 <= lower.chars().count() {
            score = score.max(0.8);
        }
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c)
}

/// `did you mean `x`?` for an unknown `what`, or a list of the known ones.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match closest(word, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            let all: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
            format!("expected one of {}", all.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_case() {
        let keys = ["separator", "product", "atMaxAge"];
        assert_eq!(closest("seperator", keys), Some("separator"));
        assert_eq!(closest("atmaxage", keys), Some("atMaxAge"));
        assert_eq!(closest("zzz", keys), None);
        assert_eq!(closest("navn", ["name"]), Some("name"));
        assert_eq!(closest("ab", ["name"]), None);
    }
}
