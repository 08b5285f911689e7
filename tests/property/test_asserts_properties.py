"""continuity.testing.asserts over generated studies: the episodes a Study makes are valid."""

from hypothesis import given
from hypothesis import strategies as st

from continuity.testing import assert_episodes_valid
from continuity.testing import strategies as cst

# Splitting a generated study takes tens of milliseconds.

# a short max_gap makes relationships of several spells common, the default makes them rare
options = st.fixed_dictionaries({
    "level": st.sampled_from(["instrument", "relationship"]),
    "event": st.sampled_from(["formal", "dormant"]),
    "max_gap": st.sampled_from([0, 30, 365]),
})


@given(study=cst.studies(max_agreements=5), options=options)
def test_episodes_of_a_study_are_valid_at_both_levels(study, options):
    ep = study.episodes(**options)
    assert_episodes_valid(ep)
    assert_episodes_valid(ep.iloc[::-1])
