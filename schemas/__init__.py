"""Table contracts and reference data (header synonyms, titles) described as data."""
