"""The bounds that let a fuzzy search skip pairs: equal to difflib's own, so a skipped pair could never match."""

import random
from difflib import SequenceMatcher

from finsam_pipeline.parse.similarity import Vocabulary, length_bound, letters_bound, may_reach

_LETTERS = "abcdeéå  xyz"


def _words(seed: int, count: int) -> list[str]:
    chance = random.Random(seed)
    return ["".join(chance.choice(_LETTERS) for _ in range(chance.randint(0, 12))) for _ in range(count)]


def test_the_bounds_are_difflibs_quick_ratios():
    for a, b in zip(_words(1, 3000), _words(2, 3000), strict=True):
        matcher = SequenceMatcher(None, a, b)
        assert length_bound(a, b) == matcher.real_quick_ratio()
        assert letters_bound(a, b) == matcher.quick_ratio()
        assert matcher.ratio() <= letters_bound(a, b) <= length_bound(a, b)


def test_a_pair_whose_ratio_reaches_the_floor_is_never_skipped():
    for a, b in zip(_words(3, 3000), _words(4, 3000), strict=True):
        if SequenceMatcher(None, a, b).ratio() >= 0.6:
            assert may_reach(a, b, 0.6)


def test_a_vocabulary_search_keeps_every_word_that_may_reach_the_floor_in_its_order():
    known = list(dict.fromkeys(_words(5, 300)))
    vocabulary = Vocabulary(known)
    for key in _words(6, 200):
        reached = vocabulary.within_reach(key, 0.7)
        assert reached == [word for word in known if may_reach(key, word, 0.7)]
        assert not [w for w in known if w not in reached and SequenceMatcher(None, key, w).ratio() >= 0.7]


def test_a_vocabulary_search_for_a_label_ocr_damaged():
    vocabulary = Vocabulary(["summa rorelsens kostnader", "summa intakter", "arets resultat"])
    assert vocabulary.within_reach("summa rorelsens kostnacler", 0.85) == ["summa rorelsens kostnader"]
