"""The stage that keeps only facts whose ends are of the kinds the vocabulary allows."""
from kg.extract.records import Entity, Evidence, FundingRound, Relation
from kg.extract.stages import well_typed

EV = Evidence("d", 0, 0, 10, "一句话。", "rule", 0.8)
ENTITIES = [Entity("p", "赵一", "Person"), Entity("q", "钱二", "Person"), Entity("c", "星河科技", "Company"),
            Entity("f", "远山资本", "InvestmentFirm"), Entity("m", "Nova-3", "AIModel")]


def test_facts_with_an_end_of_the_wrong_kind_are_dropped_and_counted():
    relations = [Relation("p", "worksFor", "c", [EV]), Relation("p", "worksFor", "q", [EV]),
                 Relation("c", "developed", "m", [EV]), Relation("c", "developed", "f", [EV]),
                 Relation("c", "competesWith", "f", [EV]), Relation("c", "competesWith", "m", [EV])]
    rounds = [FundingRound("c", 1e7, "CNY", False, None, ["f", "m"], None, EV),
              FundingRound("p", 1e7, "CNY", False, None, ["f"], None, EV)]
    kept, kept_rounds, dropped = well_typed(relations, rounds, ENTITIES)
    assert [(r.subject, r.predicate, r.object) for r in kept] == [
        ("p", "worksFor", "c"), ("c", "developed", "m"), ("c", "competesWith", "f")]
    assert [(f.recipient, f.investors) for f in kept_rounds] == [("c", ["f"])]
    assert dropped == 3 + 1 + 1          # three relations, the model as investor, the person's round
