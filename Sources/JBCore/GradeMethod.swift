/// The rule's reading of a reply: a grade's `method` (the table in docs/jb-grade.md,
/// "Matching: the rules and their methods"). A test checks the two lists against each other.
public enum GradeMethod: String, Sendable, CaseIterable, Codable {
    /// Normalised exact match.
    case exact
    /// An optional part of the answer left out or put in.
    case optionalPart = "optional_part"
    /// Another accepted form of the answer.
    case alternative
    /// The same number written another way.
    case number
    /// Singular/plural and small inflections.
    case plural
    /// The plural is a word of its own (wrong).
    case pluralMeaning = "plural_meaning"
    /// A person's surname alone, or with given names.
    case lastName = "last_name"
    /// A surname alone while the clue brings a relative into play (wrong).
    case lastNameAmbiguous = "last_name_ambiguous"
    /// Given names alone (wrong).
    case firstNameOnly = "first_name_only"
    /// The right surname, another person (wrong).
    case differentGivenName = "different_given_name"
    /// A misspelling that keeps the sound.
    case fuzzy
    /// The answer plus true detail.
    case moreSpecific = "more_specific"
    /// A sentence that only mentions the answer (wrong).
    case mention
    /// Added detail that conflicts with the clue (wrong).
    case contradiction
    /// Only generic words or titles left out.
    case shortName = "short_name"
    /// Part of the answer only (wrong).
    case partial
    /// Another name for the same thing.
    case synonym
    /// The initials of a multi-word name.
    case initials
    /// The same words in another order.
    case reordered
    /// Two candidates (wrong).
    case hedge
    /// The reply names the answer, then ends on something else (wrong).
    case rejectedMention = "rejected_mention"
    /// The reply's words all come from the clue (wrong, not answered).
    case restatesClue = "restates_clue"
    /// The model declined (wrong, not answered).
    case refusal
    /// An empty reply (wrong, not answered).
    case empty
    /// The record has an `error`: the model never answered.
    case error
    /// Nothing else applies (wrong).
    case noMatch = "no_match"
    /// The reply's numbers are not the answer's (wrong).
    case numberMismatch = "number_mismatch"
    /// Adaptive mode: a long answer by token overlap.
    case tokenOverlap = "token_overlap"
    /// Jeopardy mode: right, but not phrased as a question (wrong).
    case notQuestionForm = "not_question_form"
}
