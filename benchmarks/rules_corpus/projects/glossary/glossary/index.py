"""The term index: occurrences, page references and surface forms of every term."""

from .textutil import is_stopword, normalize_term, split_sentences, tokenize


class Index:
    """Terms (single words and short phrases) found in a set of paged documents.

    A term is the normalised form of one word, or of up to ``max_phrase`` adjacent words of
    one sentence none of which is a stopword. Pages are numbered from 1 in each document.
    """

    def __init__(self, max_phrase=2):
        if max_phrase < 1:
            raise ValueError("max_phrase must be at least 1")
        self.max_phrase = max_phrase
        self.documents = []  # document names in the order they were added
        self.pages = {}  # name -> list of page texts
        self.postings = {}  # term -> list of (document, page) references, no duplicates
        self.counts = {}  # term -> number of occurrences
        self.surfaces = {}  # term -> every surface form seen, in order
        self.doc_terms = {}  # name -> set of terms found in that document

    def __len__(self):
        return len(self.counts)

    def __contains__(self, term):
        return term in self.counts

    def add_document(self, name, pages):
        """Index a document given as a list of page texts."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError("document name must be a non-empty string")
        if isinstance(pages, str):
            raise TypeError("pages must be a list of page texts, not a string")
        if name in self.pages:
            raise ValueError(f"duplicate document {name!r}")
        self.documents.append(name)
        self.pages[name] = list(pages)
        self.doc_terms[name] = set()
        for page_no, text in enumerate(self.pages[name], start=1):
            for sentence in split_sentences(text):
                self._index_sentence(sentence, name, page_no)

    def _index_sentence(self, sentence, name, page_no):
        words = []
        for token in tokenize(sentence):
            norm = normalize_term(token)
            if is_stopword(token) or len(norm) < 2:
                words.append(None)
            else:
                words.append((token, norm))
        for i in range(len(words)):
            for size in range(1, self.max_phrase + 1):
                window = words[i : i + size]
                if len(window) < size or None in window:
                    break
                term = " ".join(norm for _, norm in window)
                surface = " ".join(token for token, _ in window)
                self._record(term, surface, name, page_no)

    def _record(self, term, surface, name, page_no):
        self.counts[term] = self.counts.get(term, 0) + 1
        refs = self.postings.setdefault(term, [])
        if (name, page_no) not in refs:
            refs.append((name, page_no))
        self.surfaces.setdefault(term, []).append(surface)
        self.doc_terms[name].add(term)

    # -- queries -------------------------------------------------------------------------

    def term_frequency(self, term):
        return self.counts.get(term, 0)

    def document_frequency(self, term):
        return len({doc for doc, _ in self.postings.get(term, [])})

    def pages_for(self, term):
        """Map document name -> sorted page numbers, documents in the order they were added."""
        result = {}
        for doc in self.documents:
            pages = sorted(page for d, page in self.postings.get(term, []) if d == doc)
            if pages:
                result[doc] = pages
        return result

    def display_form(self, term):
        """The most common surface form of ``term``; ties go to the smallest string."""
        forms = self.surfaces.get(term)
        if not forms:
            raise KeyError(term)
        best = None
        best_count = 0
        for form in sorted(set(forms)):
            count = forms.count(form)
            if count > best_count:
                best = form
                best_count = count
        return best

    def terms(self):
        """All terms, sorted."""
        return sorted(self.counts)

    def phrases(self):
        """All multi-word terms, sorted."""
        return [term for term in self.terms() if " " in term]

    def by_frequency(self):
        """(term, count) pairs, most frequent first, ties by term."""
        return sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))

    def rank(self, term):
        """1-based position of ``term`` in :meth:`by_frequency`."""
        ordered = [t for t, _ in self.by_frequency()]
        if term not in ordered:
            raise KeyError(term)
        return ordered.index(term) + 1

    def shared_terms(self, first, second):
        """Terms found in both documents, sorted."""
        for name in (first, second):
            if name not in self.doc_terms:
                raise KeyError(name)
        return sorted(self.doc_terms[first] & self.doc_terms[second])

    def stats(self):
        words = [t for t in self.counts if " " not in t]
        return {
            "documents": len(self.documents),
            "pages": sum(len(p) for p in self.pages.values()),
            "terms": len(self.counts),
            "words": len(words),
            "phrases": len(self.counts) - len(words),
            "occurrences": sum(self.counts[t] for t in words),
        }
