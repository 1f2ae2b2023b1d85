"""A fictional set of psychiatric hospitals per district, loaded by a data migration.

The names are invented (no real hospital is meant); the prefecture replaces them with the
real list in the admin screen.
"""

from __future__ import annotations

FICTIONAL_HOSPITALS: dict[str, tuple[str, ...]] = {
    "南部保健所": ("医療法人社団わらび会 わらび野病院", "戸田こころの森病院"),
    "朝霞保健所": ("医療法人けやき会 朝霞けやき台病院", "志木ひかりの丘病院", "新座みずほ台病院"),
    "春日部保健所": ("医療法人藤の花会 春日部ふじ病院", "松伏しらこばと病院"),
    "草加保健所": ("医療法人そうか会 草加松原病院", "八潮あおい病院"),
    "鴻巣保健所": ("医療法人こうのす会 鴻巣ひまわり病院", "北本さくらの里病院", "桶川べに花病院"),
    "東松山保健所": ("医療法人ひがしまつやま会 松山の丘病院", "滑川むさしの病院"),
    "坂戸保健所": ("医療法人さかど会 坂戸こもれび病院", "鶴ヶ島いずみ病院"),
    "狭山保健所": ("医療法人さやま会 狭山茶の香病院", "入間ひだまり病院", "所沢やまゆり病院"),
    "加須保健所": ("医療法人かぞ会 加須こいのぼり病院", "羽生あおぞら病院"),
    "幸手保健所": ("医療法人さって会 幸手ごんげん病院", "久喜すずかけ病院"),
    "熊谷保健所": ("医療法人くまがや会 熊谷うちわ病院", "深谷ねぎの里病院", "寄居かわせみ病院"),
    "本庄保健所": ("医療法人ほんじょう会 本庄はにわ病院", "美里こだま病院"),
    "秩父保健所": ("医療法人ちちぶ会 秩父やまなみ病院", "長瀞いわだたみ病院"),
    "さいたま市保健所": ("医療法人みぬま会 見沼たんぼ病院", "大宮ひかわ病院", "浦和うなぎ坂病院"),
    "川越市保健所": ("医療法人こえど会 小江戸くらづくり病院", "川越いもの里病院"),
    "越谷市保健所": ("医療法人こしがや会 越谷がもう病院", "越谷ひなの病院"),
    "川口市保健所": ("医療法人かわぐち会 川口いもの病院", "川口キューポラ病院", "鳩ヶ谷ひばり病院"),
}


def load_hospitals(hospital_model, health_centre_model) -> int:
    """Create the fictional hospitals that are missing; safe to run any number of times."""
    created = 0
    for centre in health_centre_model.objects.all():
        for order, name in enumerate(FICTIONAL_HOSPITALS.get(centre.name, ()), start=1):
            _, was_created = hospital_model.objects.get_or_create(
                health_centre=centre, name=name, defaults={"sort_order": order}
            )
            created += was_created
    return created
