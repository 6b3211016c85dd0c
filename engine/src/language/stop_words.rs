//! Function words per language, folded (lowercase, accents stripped) and sorted, so a
//! query can ignore them. Negations are deliberately absent in every language ("won't
//! start", « ne démarre pas », „startet nicht“, «no arranca»): they are the problem.

pub(super) const ENGLISH: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being", "but", "by",
    "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have", "he", "her",
    "here", "him", "his", "how", "i", "i'm", "if", "in", "into", "is", "it", "it's", "its", "just",
    "me", "my", "of", "on", "or", "our", "she", "so", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "very", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "would",
    "you", "your",
];

pub(super) const FRENCH: &[&str] = &[
    "a", "ai", "as", "au", "aux", "avec", "avez", "avons", "c", "ca", "ce", "ceci", "cela", "ces",
    "cet", "cette", "comment", "d", "dans", "de", "des", "dont", "du", "elle", "elles", "en",
    "est", "et", "etre", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui",
    "m", "ma", "me", "mes", "moi", "mon", "n", "nous", "on", "ont", "ou", "par", "pour",
    "pourquoi", "qu", "quand", "que", "quel", "quelle", "quelles", "quels", "qui", "s", "sa", "se",
    "ses", "son", "sont", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu", "un", "une",
    "vos", "votre", "vous", "y",
];

pub(super) const GERMAN: &[&str] = &[
    "aber", "am", "an", "auch", "auf", "aus", "bei", "bin", "bist", "das", "dass", "dein", "deine",
    "dem", "den", "der", "des", "die", "dir", "du", "ein", "eine", "einem", "einen", "einer",
    "eines", "er", "es", "euch", "fur", "habe", "haben", "hat", "ich", "ihm", "ihn", "ihnen",
    "ihr", "im", "in", "ist", "man", "mein", "meine", "meinem", "meinen", "meiner", "meines",
    "mich", "mir", "mit", "oder", "sehr", "sein", "seine", "sich", "sie", "sind", "so", "und",
    "uns", "vom", "von", "wann", "war", "waren", "warum", "was", "wenn", "werden", "wie", "wir",
    "wird", "wo", "zu", "zum", "zur",
];

pub(super) const SPANISH: &[&str] = &[
    "a", "al", "como", "con", "cuando", "de", "del", "donde", "e", "el", "ella", "ellas", "ellos",
    "en", "es", "esa", "ese", "eso", "esta", "estan", "este", "esto", "estoy", "ha", "han", "hay",
    "he", "la", "las", "le", "les", "lo", "los", "me", "mi", "mio", "mis", "muy", "nos",
    "nosotros", "o", "para", "pero", "por", "que", "se", "son", "soy", "su", "sus", "te", "tu",
    "tus", "u", "un", "una", "unas", "unos", "usted", "ustedes", "y", "yo",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_folded_and_keep_negations() {
        for list in [ENGLISH, FRENCH, GERMAN, SPANISH] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "keep {list:?} sorted");
            assert!(list.iter().all(|w| crate::analyzer::fold(w) == *w));
            for negation in [
                "not", "no", "never", "pas", "ne", "jamais", "nicht", "kein", "nunca",
            ] {
                assert!(!list.contains(&negation), "{negation} is a problem word");
            }
        }
    }
}
