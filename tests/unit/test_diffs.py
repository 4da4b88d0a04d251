"""Word-level diffs: the exact ops of a known edit, and the words a reviewer must look at."""

from reviewtool.services.diffs import changed_words, word_diff

OLD = "Twenty calls with students, followed by introductions to mentors."
NEW = "Twenty supervised calls with students, followed by introductions to safety mentors only."


def test_word_diff_known_edit_gives_exact_ops():
    assert word_diff(OLD, NEW) == [
        {"op": "equal", "text": "Twenty"},
        {"op": "insert", "text": "supervised"},
        {"op": "equal", "text": "calls with students, followed by introductions to"},
        {"op": "delete", "text": "mentors."},
        {"op": "insert", "text": "safety mentors only."},
    ]


def test_word_diff_identical_text_is_one_equal_run():
    assert word_diff("same  words\nhere", "same words here") == [
        {"op": "equal", "text": "same words here"}]


def test_word_diff_from_empty_is_one_insert():
    assert word_diff("", "all new") == [{"op": "insert", "text": "all new"}]
    assert word_diff(None, "") == []


def test_changed_words_lists_exactly_inserted_and_removed_words():
    diff = {"sections": [
        {"section": "Summary", "changed": True, "ops": word_diff(OLD, NEW)},
        {"section": "Budget", "changed": True, "ops": word_diff("USD 6,000", "USD 7,500")},
        {"section": "Title", "changed": False, "ops": word_diff("Same", "Same")},
    ]}
    assert changed_words(diff) == {"inserted": ["supervised", "safety", "mentors", "only.",
                                                "7,500"],
                                   "removed": ["mentors.", "6,000"]}


def test_changed_words_of_unchanged_diff_is_empty():
    diff = {"sections": [{"section": "Title", "changed": False, "ops": word_diff("a b", "a b")}]}
    assert changed_words(diff) == {"inserted": [], "removed": []}
