"""Parsing ingredient lines and recipe texts."""

import re
from fractions import Fraction

from .units import canonical_unit, format_quantity, unit_label

# words that describe preparation or size and are ignored when names are compared
DESCRIPTORS = [
    "fresh", "freshly", "chopped", "diced", "minced", "sliced", "large", "small", "medium",
    "finely", "roughly", "thinly", "peeled", "grated", "shredded", "crushed", "softened",
    "melted", "organic", "ripe", "cold", "warm", "whole", "boneless", "skinless",
]

INVARIANT_WORDS = {"molasses", "couscous", "hummus", "asparagus", "swiss", "grits", "series"}

QTY_PATTERN = r"(\d+\s+\d+/\d+|\d+/\d+|\d+(?:\.\d+)?)"


def singular(word):
    if word in INVARIANT_WORDS or len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("oes", "ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and not word.endswith("us"):
        return word[:-1]
    return word


def normalize_name(text):
    """Normalise an ingredient name for comparisons: 'Fresh Tomatoes' -> 'tomato'."""
    s = text.lower().strip()
    s = re.sub(r"\([^)]*\)", " ", s)
    s = s.replace("-", " ").replace("_", " ")
    s = re.sub(r"[^a-z\s]", "", s)
    s = re.sub(r"\b(" + "|".join(DESCRIPTORS) + r")\b", " ", s)
    words = [singular(w) for w in s.split()]
    return " ".join(words)


def parse_quantity(text):
    """Parse '1', '1/2', '1 1/2', '1.5' or a range '2-3' (upper bound is used)."""
    t = text.strip()
    if not t:
        raise ValueError("empty quantity")
    m = re.fullmatch(QTY_PATTERN + r"\s*(?:-|to)\s*" + QTY_PATTERN, t)
    if m:
        return parse_quantity(m.group(2))
    m = re.fullmatch(r"(?:(\d+)\s+)?(\d+)/(\d+)", t)
    if m:
        if int(m.group(3)) == 0:
            raise ValueError(f"zero denominator: {text!r}")
        return int(m.group(1) or 0) + Fraction(int(m.group(2)), int(m.group(3)))
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return Fraction(t)
    raise ValueError(f"bad quantity: {text!r}")


def parse_ingredient(line):
    """Parse '1 1/2 cups flour, sifted' into a dict.

    Keys: raw, quantity (Fraction or None), unit (canonical or None), item (the name as
    written), name (normalised), note.
    """
    if line is None or not line.strip():
        raise ValueError("empty ingredient line")
    raw = line.strip()
    text = raw.lstrip("-* ").strip()
    notes = [paren.strip() for paren in re.findall(r"\(([^)]*)\)", text)]
    text = re.sub(r"\s*\([^)]*\)\s*", " ", text).strip()
    if "," in text:
        text, note = text.split(",", 1)
        notes.append(note.strip())
    quantity = None
    m = re.match(QTY_PATTERN + r"(?:\s*(?:-|to)\s*" + QTY_PATTERN + r")?(?=\s|$|[a-zA-Z])", text)
    if m:
        quantity = parse_quantity(m.group(0))
        text = text[m.end():].strip()
    unit = None
    words = text.split()
    if len(words) > 2 and canonical_unit(" ".join(words[:2])):
        unit = canonical_unit(" ".join(words[:2]))
        text = " ".join(words[2:])
    elif len(words) > 1 and canonical_unit(words[0]):
        unit = canonical_unit(words[0])
        text = " ".join(words[1:])
    if unit is not None and text.lower().startswith("of "):
        text = text[3:].strip()
    lowered = text.lower()
    for tail in ("to taste", "optional", "for serving", "for garnish"):
        if lowered.endswith(" " + tail):
            text = text[: -len(tail)].strip()
            notes.append(tail)
            lowered = text.lower()
    item = text.strip()
    name = normalize_name(item)
    if not name:
        raise ValueError(f"no ingredient name in {line!r}")
    return {"raw": raw, "quantity": quantity, "unit": unit, "item": item, "name": name,
            "note": "; ".join(n for n in notes if n)}


def format_ingredient(ing):
    """Format a parsed ingredient dict back into a line."""
    parts = []
    if ing.get("quantity") is not None:
        parts.append(format_quantity(ing["quantity"]))
        label = unit_label(ing.get("unit"), ing["quantity"])
        if label:
            parts.append(label)
    parts.append(ing["item"])
    return " ".join(parts) + (", " + ing["note"] if ing.get("note") else "")


def parse_recipe_text(text):
    """Parse a recipe block (title, 'Serves:', 'Tags:', 'Ingredients:' and 'Steps:')."""
    recipe = {"name": None, "servings": 1, "tags": [], "ingredients": [], "steps": []}
    section = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        low = stripped.lower()
        if recipe["name"] is None:
            recipe["name"] = stripped
            continue
        if low.startswith("serves"):
            m = re.search(r"\d+", low)
            if not m or int(m.group(0)) <= 0:
                raise ValueError(f"bad servings line: {stripped!r}")
            recipe["servings"] = int(m.group(0))
        elif low.startswith("tags:"):
            recipe["tags"] = [t.strip().lower() for t in stripped[5:].split(",") if t.strip()]
        elif low.startswith("ingredients"):
            section = "ingredients"
        elif low.startswith("steps") or low.startswith("method"):
            section = "steps"
        elif section == "ingredients":
            recipe["ingredients"].append(stripped.lstrip("-* ").strip())
        elif section == "steps":
            recipe["steps"].append(re.sub(r"^\d+[.)]\s*", "", stripped))
    if recipe["name"] is None:
        raise ValueError("recipe text has no title")
    return recipe
