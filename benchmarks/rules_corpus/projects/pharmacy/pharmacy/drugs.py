"""Drug names, the formulary and the drug-drug interaction table."""

import re

# Salt and hydrate words that do not change which medicine it is.
SALT_WORDS = [
    "hydrochloride", "hcl", "hydrobromide", "sodium", "potassium", "calcium", "magnesium",
    "maleate", "besylate", "besilate", "mesylate", "succinate", "tartrate", "fumarate",
    "citrate", "phosphate", "sulfate", "sulphate", "bisulfate", "bromide", "acetate",
    "carbonate", "monohydrate", "dihydrate", "trihydrate",
]

# Dosage form words that sometimes get typed into the drug name field.
FORM_WORDS = ["tablet", "tablets", "tab", "tabs", "capsule", "capsules", "cap", "caps",
              "oral", "film", "coated", "mr", "xl", "sr"]

SYNONYMS = {"acetaminophen": "paracetamol", "albuterol": "salbutamol", "asa": "aspirin",
            "acetylsalicylic acid": "aspirin", "thyroxine": "levothyroxine",
            "gtn": "glyceryl trinitrate", "valproic acid": "valproate"}

# name, class, dispensing unit, controlled drug?, maximum units per day
_FORMULARY_ROWS = [
    ("amlodipine", "calcium channel blocker", "tablet", False, 2),
    ("amiodarone", "antiarrhythmic", "tablet", False, 3),
    ("aspirin", "antiplatelet", "tablet", False, 12),
    ("atorvastatin", "statin", "tablet", False, 2),
    ("ciprofloxacin", "antibiotic", "tablet", False, 4),
    ("citalopram", "ssri", "tablet", False, 2),
    ("clarithromycin", "antibiotic", "tablet", False, 4),
    ("clopidogrel", "antiplatelet", "tablet", False, 1),
    ("codeine", "opioid", "tablet", True, 8),
    ("digoxin", "cardiac glycoside", "tablet", False, 2),
    ("ibuprofen", "nsaid", "tablet", False, 6),
    ("levothyroxine", "thyroid hormone", "tablet", False, 3),
    ("lisinopril", "ace inhibitor", "tablet", False, 2),
    ("lithium", "mood stabiliser", "tablet", False, 4),
    ("metformin", "biguanide", "tablet", False, 6),
    ("methotrexate", "antimetabolite", "tablet", False, 10),
    ("naproxen", "nsaid", "tablet", False, 4),
    ("omeprazole", "proton pump inhibitor", "capsule", False, 2),
    ("paracetamol", "analgesic", "tablet", False, 8),
    ("prednisolone", "corticosteroid", "tablet", False, 12),
    ("salbutamol", "bronchodilator", "inhaler", False, 8),
    ("sertraline", "ssri", "tablet", False, 4),
    ("simvastatin", "statin", "tablet", False, 2),
    ("spironolactone", "diuretic", "tablet", False, 4),
    ("tramadol", "opioid", "capsule", True, 8),
    ("trimethoprim", "antibiotic", "tablet", False, 2),
    ("warfarin", "anticoagulant", "tablet", False, 10),
]

FORMULARY = {
    name: {"class": cls, "unit": unit, "controlled": controlled, "max_daily": max_daily}
    for name, cls, unit, controlled, max_daily in _FORMULARY_ROWS
}

# Copied from the wholesaler's interaction sheet, spellings and all.
INTERACTIONS = [
    ("Warfarin Sodium", "Aspirin", "major", "increased bleeding risk"),
    ("Warfarin Sodium", "Ibuprofen", "major", "increased bleeding risk"),
    ("Warfarin", "Naproxen", "major", "increased bleeding risk"),
    ("Warfarin", "Clarithromycin", "major", "raised INR"),
    ("Warfarin", "Amiodarone Hydrochloride", "major", "raised INR"),
    ("Warfarin", "Ciprofloxacin", "moderate", "raised INR"),
    ("Simvastatin", "Clarithromycin", "major", "myopathy"),
    ("Simvastatin", "Amiodarone HCl", "moderate", "myopathy; limit simvastatin dose"),
    ("Amlodipine Besylate", "Simvastatin", "moderate", "limit simvastatin to 20 mg"),
    ("Atorvastatin Calcium", "Clarithromycin", "moderate", "myopathy"),
    ("Sertraline Hydrochloride", "Tramadol HCl", "major", "serotonin syndrome"),
    ("Citalopram Hydrobromide", "Tramadol", "major", "serotonin syndrome"),
    ("Citalopram", "Omeprazole", "moderate", "raised citalopram levels"),
    ("Sertraline", "Aspirin", "moderate", "bleeding risk"),
    ("Clopidogrel", "Omeprazole", "moderate", "reduced antiplatelet effect"),
    ("Clopidogrel Bisulfate", "Aspirin", "moderate", "bleeding risk"),
    ("Lisinopril", "Spironolactone", "moderate", "hyperkalaemia"),
    ("Lithium Carbonate", "Ibuprofen", "major", "lithium toxicity"),
    ("Lithium Carbonate", "Naproxen", "major", "lithium toxicity"),
    ("Lithium", "Lisinopril", "major", "lithium toxicity"),
    ("Methotrexate Sodium", "Trimethoprim", "major", "bone marrow suppression"),
    ("Digoxin", "Amiodarone Hydrochloride", "major", "digoxin toxicity"),
    ("Levothyroxine Sodium", "Calcium Carbonate", "minor", "separate doses by 4 hours"),
    ("Ciprofloxacin", "Calcium Carbonate", "moderate", "reduced absorption"),
    ("Tramadol HCl", "Codeine Phosphate", "moderate", "additive CNS depression"),
    ("Ibuprofen", "Naproxen", "moderate", "duplicate NSAID therapy"),
    ("Aspirin", "Ibuprofen", "minor", "reduced antiplatelet effect"),
    ("Metformin HCl", "Prednisolone", "minor", "raised blood glucose"),
    ("Prednisolone", "Ibuprofen", "moderate", "gastrointestinal bleeding"),
]

SEVERITY_RANK = {"major": 0, "moderate": 1, "minor": 2}

_STRENGTH = r"\d+(\.\d+)?\s*((mg|mcg|micrograms|g|ml)\b|%)"


def normalize_drug_name(name):
    """Canonical spelling: "Metformin HCl 500mg tablets" -> "metformin".

    Drops case, extra whitespace, strengths, forms and salt words (unless the name is only salt
    words, like "Calcium Carbonate") and maps synonyms. ValueError if empty, TypeError if not str.
    """
    if not isinstance(name, str):
        raise TypeError(f"drug name must be a string, not {type(name).__name__}")
    text = name.lower().replace("-", " ").replace(",", " ")
    text = re.sub(_STRENGTH, " ", text)
    words = [w for w in text.split() if w not in FORM_WORDS]
    if not words:
        raise ValueError(f"empty drug name: {name!r}")
    kept = [w for w in words if w not in SALT_WORDS]
    if not kept:
        kept = words
    canonical = " ".join(kept)
    return SYNONYMS.get(canonical, canonical)


def drug_info(name):
    """Formulary entry for a drug (a copy), KeyError if it is not on the formulary."""
    key = normalize_drug_name(name)
    for drug, info in FORMULARY.items():
        if drug == key:
            entry = dict(info)
            entry["name"] = drug
            return entry
    raise KeyError(f"not on formulary: {name!r}")


def find_interactions(drug_names):
    """Every interacting pair among drug_names as dicts of drug_a, drug_b (canonical, drug_a
    earlier in the input), severity and note. Repeated names count once. Ordered by severity
    (major first), then by the order of the pair in the input."""
    names = []
    for raw in drug_names:
        n = normalize_drug_name(raw)
        if n not in names:
            names.append(n)
    found = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            for a, b, severity, note in INTERACTIONS:
                na = normalize_drug_name(a)
                nb = normalize_drug_name(b)
                if (na == names[i] and nb == names[j]) or (na == names[j] and nb == names[i]):
                    found.append({"drug_a": names[i], "drug_b": names[j],
                                  "severity": severity, "note": note})
    found.sort(key=lambda item: SEVERITY_RANK[item["severity"]])
    return found


def check_new_drug(new_drug, current_drugs):
    """Interactions between a newly prescribed drug and the patient's current drugs."""
    new_name = normalize_drug_name(new_drug)
    all_hits = find_interactions([new_drug] + list(current_drugs))
    return [hit for hit in all_hits if new_name in (hit["drug_a"], hit["drug_b"])]
