"""The report's own words, in English and Indonesian.

The data stay as they are (names, titles, sources); only the report's sentences, headings and
column labels are translated. Each entry is a format string; :func:`say` fills it.
"""

from __future__ import annotations

__all__ = ["column_label", "say"]

_EN: dict[str, str] = {
    "title": "Does the cooperation outlive its leaders? An evaluation of {name}",
    "meta_asof": "Observed until {as_of} (censoring date, {source}); focal jurisdiction: {focal}.",
    "meta_version": "Made by continuity {version}; input data SHA-256 {digest}.",
    "meta_rule": "Dates known only to the month or year ({n_fuzzy}) are resolved to the middle "
                 "of their period; the robustness section shows the earliest and latest.",
    "glance": "The study at a glance",
    "glance_lead": "{n_parties} parties, {n_instruments} instruments in {n_rel} relationships, "
                   "{n_activities} dated activities and {n_changes} leader changes, observed "
                   "until {as_of}.",
    "glance_parties": "Parties: the leadership office of each and how far its record reaches",
    "glance_parties_note": "Administrations: one holder's uninterrupted hold on the office (an "
                           "acting official standing in during leave does not end it). Where "
                           "no terms are recorded, leader changes are unknown (shown as –), "
                           "never counted as none.",
    "glance_instruments": "Instruments (n activities: the signs of life counted in the metrics)",
    "timeline": "Timeline",
    "timeline_lead": "Each instrument from its entry into force against the leadership terms of "
                     "every party. Triangles mark leader changes; hatched bars are acting "
                     "officials and caretakers; circles are activities, crosses statements "
                     "about a relationship's state.",
    "timeline_caption": "Instruments, activities and the leadership terms of every party.",
    "continuity": "Continuity: does the cooperation survive leader changes?",
    "continuity_lead": "Formal end (termination, or expiry without successor) and de facto end "
                       "(no sign of life for {dormancy_months} months) are measured against the "
                       "leadership transitions of every party.",
    "survival_head": "Survival across administrations",
    "survival_text": "Share of relationships still alive (not ended, not dormant) some days "
                     "after a leader change of one of their parties, by the kind of "
                     "transition (Kaplan-Meier, {conf} confidence interval). n counts "
                     "relationship-transition spells, n_relationships the relationships.",
    "survival_caption": "Survival across administrations",
    "km_caption": "Relationships alive (formal end or {dormancy_months} months without a sign "
                  "of life), from entry; shaded: {conf} confidence band.",
    "hazard_head": "The hazard of ending just after a leader change",
    "hazard_text": "Hazard ratio of ending (de facto) within {window} days after a leader "
                   "change against other times (Cox model on the episodes, errors clustered "
                   "by relationship), beside a placebo of random change dates.",
    "hazard_caption": "Transition hazard ratio",
    "hazard_few": "Only {n_events} ends are observed: too few for a hazard ratio to say "
                  "anything; read it as a description of this case, not as evidence.",
    "dormancy_head": "Dormancy and paper partnerships",
    "dormancy_text": "A relationship is dormant when it has had no sign of life (an activity "
                     "or a new instrument) for {dormancy_months} months while formally alive; "
                     "a paper partnership was never active in its first {dormancy_months} "
                     "months.",
    "dormancy_caption": "Dormancy of each instrument at {dormancy_months} months",
    "dormancy_figure": "Months since the last sign of life of each relationship; dotted lines "
                       "mark 12, 24 and 36 months.",
    "no_activities": "The data hold no dated activities, so dormancy (the de facto end) "
                     "cannot be measured; the figures above use the formal end only.",
    "not_estimable": "Not estimable from these data: {reason}",
    "renewal_head": "Renewal",
    "renewal_text": "Share of instruments renewed at expiry (a successor signed within the "
                    "grace period), among those whose expiry is observed.",
    "renewal_caption": "Renewal at expiry",
    "stages_head": "Stage progression",
    "stages_text": "Share of relationships that moved from one stage to the next (letter of "
                   "intent, memorandum of understanding, agreement), with a Wilson interval.",
    "stages_caption": "Stage progression",
    "lame_head": "Lame-duck signings",
    "lame_text": "Instruments signed in the signing leader's last year in office, or by a "
                 "caretaker: commitments a successor inherits.",
    "lame_caption": "Lame-duck signings by party",
    "lame_rows_caption": "Each instrument and the administration that signed it",
    "retention_head": "Portfolio retention",
    "retention_text": "Share of an administration's active relationships that show a sign of "
                      "life under the next administration.",
    "retention_caption": "Portfolio retention by administration",
    "effectiveness": "Effectiveness: does the cooperation deliver, and under whom?",
    "effectiveness_lead": "Activities are credited to the leader in office on their date; a "
                          "reported event counted under two relationships counts once where "
                          "they are pooled; statements about a relationship's state are not "
                          "activity.",
    "no_activities_effect": "The data hold no dated activities, so the activity of the "
                            "cooperation cannot be measured.",
    "scorecard_head": "The scorecard of each administration",
    "scorecard_text": "For each administration of the focal jurisdiction: relationships "
                      "inherited, kept, signed, renewed, gone dormant and ended; activities per "
                      "year of exposure with an exact Poisson {conf} interval (estimate, "
                      "conf_low, conf_high); attainment and budgets where the data hold them.",
    "scorecard_caption": "Scorecard by administration",
    "scorecard_no_focal": "No single jurisdiction is a party to every instrument; name the "
                          "one whose administrations are to be scored (--focal).",
    "scorecard_figure": "Activities per year under each administration, with exact {conf} "
                        "intervals; short caretaker spells give wide intervals.",
    "rate_axis": "activities per year",
    "change_head": "Activity around leader changes",
    "change_text": "Activities in the {window} days after each leader change against the same "
                   "number of days before it, as a rate ratio with its exact conditional "
                   "interval (R's poisson.test); windows are cut at entry, end and as_of, and a "
                   "change with another within two windows before it or one window after it "
                   "is left out (n excluded), so no activity is counted twice. A ratio below 1 "
                   "is what 'ganti kepala daerah, ganti kebijakan' "
                   "predicts.",
    "change_caption": "Activity after against before a leader change, pooled",
    "change_rows_caption": "Each leader change with activity on either side",
    "goals_head": "Goals and sectors",
    "goals_text": "Which of the four goals of regional cooperation abroad (community welfare, "
                  "public services, human-resource capacity, international relations) and which "
                  "sectors saw any activity, and how broad each relationship is (Shannon "
                  "diversity and its effective number of sectors).",
    "caption_objective": "Coverage of the four goals",
    "none_objective": "No activity in the record names the goal it served, so the coverage of "
                      "the four goals cannot be measured from these data.",
    "none_sector": "No activity in the record names its sector.",
    "caption_sector": "Coverage of the sectors",
    "caption_breadth": "Breadth of each relationship across sectors",
    "targets_head": "Targets and budgets",
    "targets_text": "Actual against target per indicator (capped at 1 and uncapped), the share "
                    "of targets met with a Wilson {conf} interval, and realised against "
                    "planned budgets.",
    "targets_none": "The data hold no targets or budgets; no public record of them was found.",
    "targets_caption": "Target attainment",
    "budget_caption": "Budget realisation",
    "robust": "Robustness: how much do the figures depend on choices?",
    "robust_lead": "The headline figures recomputed at the earliest and the latest reading of "
                   "every fuzzy date, and at dormancy thresholds of 12, 24 and 36 months.",
    "robust_dates_caption": "Headline figures by the resolution of fuzzy dates",
    "robust_threshold_caption": "Dormant and paper partnerships by dormancy threshold",
    "audit_caption": "Rows kept with a warning (the audit)",
    "audit_none": "No row of the data needed a warning.",
    "limits_head": "What cannot be concluded",
    "limits_text": "With {n_rel} relationships and {n_events} observed ends, this study "
                   "describes one case; it cannot estimate how often a leader change ends or "
                   "empties a cooperation in general. Intervals this wide mean that. Pooling "
                   "many cities' registries is what would answer it.",
    "sources": "Sources of the data",
    "sources_lead": "Every row of the data keeps its sources. {n_cited} rows cite {n_sources} "
                    "distinct sources.",
    "sources_caption": "The sources most cited",
    "sources_none": "The data carry no sources column.",
    "headline": "figure",
    "rule_earliest": "earliest",
    "rule_middle": "middle",
    "rule_latest": "latest",
    "h_dormant": "instruments dormant at 24 months",
    "h_paper": "paper partnerships at 24 months",
    "h_lame": "lame-duck signings (focal side)",
    "h_changes": "leader changes while an instrument was in force",
    "given": "given",
    "latest date in the data": "the latest date in the data",
    "none": "none",
}

_ID: dict[str, str] = {
    "title": "Apakah kerja sama bertahan melewati pergantian pemimpinnya? Evaluasi {name}",
    "meta_asof": "Diamati sampai {as_of} (tanggal sensor, {source}); daerah fokus: {focal}.",
    "meta_version": "Dibuat dengan continuity {version}; SHA-256 data masukan {digest}.",
    "meta_rule": "Tanggal yang hanya diketahui bulan atau tahunnya ({n_fuzzy}) diambil di "
                 "tengah periodenya; bagian ketahanan menampilkan pembacaan paling awal dan "
                 "paling akhir.",
    "glance": "Ringkasan studi",
    "glance_lead": "{n_parties} pihak, {n_instruments} dokumen dalam {n_rel} hubungan kerja "
                   "sama, {n_activities} kegiatan bertanggal dan {n_changes} pergantian "
                   "pemimpin, diamati sampai {as_of}.",
    "glance_parties": "Para pihak: jabatan pimpinan masing-masing dan jangkauan catatannya",
    "glance_parties_note": "Pemerintahan: masa satu pejabat memegang jabatan tanpa terputus "
                           "(pelaksana tugas selama cuti tidak mengakhirinya). Bila masa "
                           "jabatan tidak tercatat, pergantian pemimpin tidak diketahui "
                           "(ditulis –), bukan dihitung nol.",
    "glance_instruments": "Dokumen kerja sama (jumlah kegiatan: tanda kegiatan yang dihitung)",
    "timeline": "Garis waktu",
    "timeline_lead": "Setiap dokumen sejak berlaku, dibandingkan dengan masa jabatan pimpinan "
                     "setiap pihak. Segitiga menandai pergantian pemimpin; batang berarsir "
                     "adalah Plt/Plh/Pj; lingkaran adalah kegiatan, silang adalah pernyataan "
                     "tentang keadaan hubungan.",
    "timeline_caption": "Dokumen, kegiatan, dan masa jabatan pimpinan setiap pihak.",
    "continuity": "Keberlanjutan: apakah kerja sama bertahan setelah pergantian pemimpin?",
    "continuity_lead": "Berakhir secara formal (diakhiri, atau habis masa berlaku tanpa "
                       "pengganti) dan secara de facto (tanpa tanda kegiatan selama "
                       "{dormancy_months} bulan) diukur terhadap pergantian pimpinan setiap "
                       "pihak.",
    "survival_head": "Bertahan melewati pergantian pemerintahan",
    "survival_text": "Proporsi hubungan yang masih hidup (belum berakhir, tidak mati suri) "
                     "beberapa hari setelah pergantian pemimpin salah satu pihak, menurut jenis "
                     "pergantian (Kaplan-Meier, selang kepercayaan {conf}). n menghitung "
                     "pasangan hubungan-pergantian, n_relationships jumlah hubungan.",
    "survival_caption": "Bertahan melewati pergantian pemerintahan",
    "km_caption": "Hubungan yang masih hidup (berakhir formal atau {dormancy_months} bulan tanpa "
                  "tanda kegiatan), sejak berlaku; arsiran: pita kepercayaan {conf}.",
    "hazard_head": "Risiko berakhir tepat setelah pergantian pemimpin",
    "hazard_text": "Rasio hazard berakhirnya kerja sama (de facto) dalam {window} hari setelah "
                   "pergantian pemimpin dibanding waktu lain (model Cox pada episode, galat "
                   "dikelompokkan per hubungan), di samping plasebo tanggal pergantian acak.",
    "hazard_caption": "Rasio hazard pergantian",
    "hazard_few": "Hanya {n_events} pengakhiran teramati: terlalu sedikit untuk rasio hazard; "
                  "bacalah sebagai gambaran kasus ini, bukan sebagai bukti.",
    "dormancy_head": "Mati suri dan kemitraan di atas kertas",
    "dormancy_text": "Hubungan disebut mati suri bila tidak ada tanda kegiatan (kegiatan atau "
                     "dokumen baru) selama {dormancy_months} bulan padahal secara formal masih "
                     "berlaku; kemitraan di atas kertas tidak pernah aktif dalam "
                     "{dormancy_months} bulan pertamanya.",
    "dormancy_caption": "Status mati suri setiap dokumen pada {dormancy_months} bulan",
    "dormancy_figure": "Bulan sejak tanda kegiatan terakhir setiap hubungan; garis titik "
                       "menandai 12, 24 dan 36 bulan.",
    "no_activities": "Data tidak memuat kegiatan bertanggal, sehingga mati suri (berakhir de "
                     "facto) tidak dapat diukur; angka di atas hanya memakai berakhir formal.",
    "not_estimable": "Tidak dapat diperkirakan dari data ini: {reason}",
    "renewal_head": "Perpanjangan",
    "renewal_text": "Proporsi dokumen yang diperpanjang saat habis masa berlaku (pengganti "
                    "ditandatangani dalam masa tenggang), di antara yang masa berlakunya "
                    "teramati habis.",
    "renewal_caption": "Perpanjangan saat habis masa berlaku",
    "stages_head": "Kemajuan tahapan",
    "stages_text": "Proporsi hubungan yang naik dari satu tahap ke tahap berikutnya (LoI, MoU, "
                   "perjanjian kerja sama), dengan selang Wilson.",
    "stages_caption": "Kemajuan tahapan",
    "lame_head": "Penandatanganan di akhir masa jabatan",
    "lame_text": "Dokumen yang ditandatangani pada tahun terakhir masa jabatan penandatangan, "
                 "atau oleh Plt/Pj: komitmen yang diwarisi penggantinya.",
    "lame_caption": "Penandatanganan di akhir masa jabatan menurut pihak",
    "lame_rows_caption": "Setiap dokumen dan pemerintahan yang menandatanganinya",
    "retention_head": "Keberlanjutan portofolio",
    "retention_text": "Proporsi hubungan aktif suatu pemerintahan yang masih menunjukkan tanda "
                      "kegiatan di bawah pemerintahan berikutnya.",
    "retention_caption": "Keberlanjutan portofolio menurut pemerintahan",
    "effectiveness": "Efektivitas: apakah kerja sama memberi hasil, dan di bawah siapa?",
    "effectiveness_lead": "Kegiatan dihitung untuk pemimpin yang menjabat pada tanggalnya; satu "
                          "peristiwa yang dilaporkan di bawah dua hubungan dihitung sekali bila "
                          "digabung; pernyataan tentang keadaan hubungan bukan kegiatan.",
    "no_activities_effect": "Data tidak memuat kegiatan bertanggal, sehingga kegiatan kerja "
                            "sama tidak dapat diukur.",
    "scorecard_head": "Kartu skor setiap pemerintahan",
    "scorecard_text": "Untuk setiap pemerintahan daerah fokus: hubungan yang diwarisi, "
                      "dipertahankan, ditandatangani, diperpanjang, mati suri dan berakhir; "
                      "kegiatan per tahun paparan dengan selang Poisson eksak {conf}; capaian "
                      "target dan anggaran bila datanya ada.",
    "scorecard_caption": "Kartu skor menurut pemerintahan",
    "scorecard_no_focal": "Tidak ada satu daerah yang menjadi pihak pada setiap dokumen; "
                          "sebutkan daerah yang pemerintahannya dinilai (--focal).",
    "scorecard_figure": "Kegiatan per tahun di bawah setiap pemerintahan, dengan selang eksak "
                        "{conf}; masa Plt/Pj yang pendek memberi selang yang lebar.",
    "rate_axis": "kegiatan per tahun",
    "change_head": "Kegiatan di sekitar pergantian pemimpin",
    "change_text": "Kegiatan dalam {window} hari setelah setiap pergantian pemimpin dibanding "
                   "jumlah hari yang sama sebelumnya, sebagai rasio laju dengan selang kondisional "
                   "eksak (poisson.test di R); jendela dipotong pada saat berlaku, berakhir dan "
                   "as_of, dan pergantian yang didahului pergantian lain dalam dua jendela atau "
                   "diikuti dalam satu jendela tidak disertakan (n excluded), agar tidak ada "
                   "kegiatan yang dihitung dua kali. Rasio di bawah 1 adalah yang diramalkan "
                   "'ganti kepala "
                   "daerah, ganti kebijakan'.",
    "change_caption": "Kegiatan sesudah dibanding sebelum pergantian pemimpin, digabung",
    "change_rows_caption": "Setiap pergantian pemimpin dengan kegiatan di salah satu sisi",
    "goals_head": "Tujuan dan sektor",
    "goals_text": "Mana dari empat tujuan kerja sama daerah dengan luar negeri (kesejahteraan "
                  "masyarakat, pelayanan publik, kapasitas sumber daya manusia, hubungan "
                  "internasional) dan sektor mana yang memiliki kegiatan, dan seberapa luas "
                  "setiap hubungan (keragaman Shannon dan jumlah efektif sektornya).",
    "caption_objective": "Cakupan empat tujuan",
    "none_objective": "Tidak ada kegiatan dalam catatan yang menyebut tujuan yang dilayaninya, "
                      "sehingga cakupan empat tujuan tidak dapat diukur dari data ini.",
    "none_sector": "Tidak ada kegiatan dalam catatan yang menyebut sektornya.",
    "caption_sector": "Cakupan sektor",
    "caption_breadth": "Keluasan setiap hubungan menurut sektor",
    "targets_head": "Target dan anggaran",
    "targets_text": "Realisasi dibanding target per indikator (dibatasi 1 dan tanpa batas), "
                    "proporsi target tercapai dengan selang Wilson {conf}, dan realisasi "
                    "dibanding rencana anggaran.",
    "targets_none": "Data tidak memuat target atau anggaran; tidak ditemukan catatan publiknya.",
    "targets_caption": "Capaian target",
    "budget_caption": "Realisasi anggaran",
    "robust": "Ketahanan: seberapa jauh angka bergantung pada pilihan?",
    "robust_lead": "Angka utama dihitung ulang dengan pembacaan paling awal dan paling akhir "
                   "dari setiap tanggal yang kabur, dan dengan ambang mati suri 12, 24 dan 36 "
                   "bulan.",
    "robust_dates_caption": "Angka utama menurut pembacaan tanggal yang kabur",
    "robust_threshold_caption": "Mati suri dan kemitraan di atas kertas menurut ambang",
    "audit_caption": "Baris yang disimpan dengan peringatan (audit)",
    "audit_none": "Tidak ada baris data yang memerlukan peringatan.",
    "limits_head": "Apa yang tidak dapat disimpulkan",
    "limits_text": "Dengan {n_rel} hubungan dan {n_events} pengakhiran teramati, studi ini "
                   "menggambarkan satu kasus; studi ini tidak dapat memperkirakan seberapa "
                   "sering pergantian pemimpin mengakhiri atau mengosongkan kerja sama secara "
                   "umum. Selang yang lebar berarti demikian. Menggabungkan data banyak kota "
                   "yang dapat menjawabnya.",
    "sources": "Sumber data",
    "sources_lead": "Setiap baris data menyimpan sumbernya. {n_cited} baris mengutip "
                    "{n_sources} sumber berbeda.",
    "sources_caption": "Sumber yang paling sering dikutip",
    "sources_none": "Data tidak memiliki kolom sumber.",
    "headline": "angka",
    "rule_earliest": "paling awal",
    "rule_middle": "tengah",
    "rule_latest": "paling akhir",
    "h_dormant": "dokumen mati suri pada 24 bulan",
    "h_paper": "kemitraan di atas kertas pada 24 bulan",
    "h_lame": "penandatanganan di akhir masa jabatan (pihak fokus)",
    "h_changes": "pergantian pemimpin selama dokumen berlaku",
    "given": "ditetapkan",
    "latest date in the data": "tanggal terakhir dalam data",
    "none": "tidak ada",
}

_CATALOGUE = {"en": _EN, "id": _ID}

_COLUMNS_ID = {
    "jurisdiction": "daerah", "office": "jabatan", "terms": "masa jabatan",
    "administrations": "pemerintahan", "leader_changes": "pergantian pemimpin",
    "record_from": "catatan dari", "record_to": "catatan sampai", "agreement_id": "dokumen",
    "relationship_id": "hubungan", "instrument": "jenis", "signed": "ditandatangani",
    "entry": "berlaku", "formal_end": "berakhir formal", "n_activities": "jumlah kegiatan",
    "estimate": "estimasi", "conf_low": "batas bawah", "conf_high": "batas atas", "n": "n",
    "n_events": "n kejadian", "threshold": "ambang (hari)", "dormant": "mati suri",
    "paper_partnership": "di atas kertas", "last_activity": "kegiatan terakhir",
    "days_inactive": "hari tanpa kegiatan", "administration": "pemerintahan",
    "horizon": "horizon (hari)", "group": "kelompok", "level": "tingkat", "stage": "tahap",
    "next_stage": "tahap berikutnya", "lame_duck": "akhir masa jabatan", "days_left":
    "sisa hari", "caretaker": "Plt/Pj", "source": "sumber", "rows": "baris",
}


def say(lang: str, key: str, **values: object) -> str:
    """The sentence ``key`` in ``lang``, filled with ``values``."""
    return _CATALOGUE[lang][key].format(**values)


def column_label(name: object, lang: str) -> str:
    """A column's label for display (the CSV keeps the snake_case name)."""
    text = str(name)
    if lang == "id" and text in _COLUMNS_ID:
        return _COLUMNS_ID[text]
    return text.replace("_", " ")
