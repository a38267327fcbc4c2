"""Short answers: the forms a Korean learner would type count as the same answer."""

import pytest

from courses.services.short_answer import matches


@pytest.mark.parametrize(
    "given, accepted",
    [
        ("마이크로 서비스", ["마이크로서비스"]),
        ("MSA", ["마이크로서비스"]),
        ("Microservices Architecture", ["마이크로서비스"]),
        ("마이크로서비스 아키텍처", ["MSA"]),
        ("모놀리틱", ["모놀리식"]),
        ("모놀리틱 아키텍처", ["모놀리식 아키텍처"]),
        ("monolithic", ["모놀리식"]),
        ("Scale-Out", ["스케일 아웃"]),
        ("수평 확장", ["스케일 아웃"]),
        ("no-ops", ["노옵스"]),
        ("Continuous Integration", ["CI"]),
        ("지속적인 통합", ["CI"]),
        ("파드(Pod)", ["파드"]),
        ("Pod", ["파드(Pod)"]),
        ("ＰＯＤ", ["파드"]),
        ("Kubernetes", ["쿠버네티스"]),
        ("ETCD", ["etcd"]),
        ("cgroups", ["컨트롤 그룹"]),
        ("운영 체제", ["운영체제"]),
        ("OS", ["운영체제"]),
        ("ci/cd", ["CI/CD"]),
        ("  Undo ", ["undo"]),
        ("—rm", ["--rm"]),
        ("--namespace", ["-n", "--namespace"]),
    ],
)
def test_a_variant_spelling_of_the_answer_is_accepted(given, accepted):
    assert matches(given, accepted)


@pytest.mark.parametrize(
    "given, accepted",
    [
        ("노드", ["파드"]),
        ("컨트롤플레인 노드", ["컨트롤 플레인"]),
        ("MSA 장점", ["마이크로서비스"]),
        ("서비스", ["마이크로서비스"]),
        ("스케일 업", ["스케일 아웃"]),
        ("", ["파드"]),
        ("()", ["파드"]),
        ("rm", ["--rm"]),
        ("-rm", ["--rm"]),
    ],
)
def test_a_different_answer_is_still_wrong(given, accepted):
    assert not matches(given, accepted)
