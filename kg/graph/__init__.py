"""The canonical graph: vocabulary, records -> RDF, SHACL validation, SPARQL, explain, evaluation
and the one reader every consumer uses.  Never imports extraction beyond ``kg.extract.records``
(plain dataclasses), so graph tools start without spaCy or the NER models."""
