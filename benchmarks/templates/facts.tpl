# Fact sentences of the synthetic corpus, one fact pattern per section. Each
# "- " line is a paraphrase stating exactly the facts of the "gold:" line.
#
#   slots:  NAME=KIND ...   what the sentences name. KIND is
#             fed, fed.other, ufd, agency, party.fedgroup, party.fedbranch,
#             party.work, party(C) (the party organisation of chamber slot C),
#             chamber[.town|.trade|.out|.in|.youth], ent, inst,
#             prog[.plan|.mech|.team], event, doc, place.other   an entity
#             a|b                        one of several kinds
#             KIND*2-3                   a list of 2 to 3 distinct entities
#             title:LIST / title(X)      a post title (names.tpl [title.LIST], or X's kind)
#             holder(X,T)                the person holding post T at X in this locality
#             known                      a person this report has named already
#             word:LIST                  an item of names.tpl [LIST]
#   gold:   SOURCE REL TARGET [prop=SLOT|text]; ...   the relations stated
#   weight: how often the section is picked (default 1)
#
# In sentences, {X} renders slot X (an entity's first mention is its full
# name, later ones may be short), {X:short} / {X:full} / {X:dual} / {X:long}
# ask for a form, and {@list} {#n} {$loc} are fillers (see frame.tpl).
# Relations implied by names (LOCATED_IN, PARTY_ORG_OF) are added by the
# generator, not listed here.

# ------------------------------------------------------------------ posts

[post_ufd_fed]
weight: 3
slots: U=ufd F=fed T1=title:ufd T2=title:fedparty P=holder(U,T1)
gold: P HOLDS_POST U title=T1; P HOLDS_POST F title=T2
- {U}{T1}、{F:short}{T2}{P}介绍，{@clause}。
- “{@quote}”{U}{T1}、{F:short}{T2}{P}说。
- 据{U}{T1}、{F:short}{T2}{P}介绍，{@clause}。

[post_chamber_ent]
weight: 4
slots: C=chamber E=ent T1=title:chamberhead T2=title:ent P=holder(C,T1)
gold: P HOLDS_POST C title=T1; P HOLDS_POST E title=T2
- {C}{T1}、{E}{T2}{P}说：“{@quote}”
- {C}{T1}、{E}{T2}{P}告诉记者，{@clause}。
- 作为{C}{T1}，{E}{T2}{P}{@act}。

[post_fed_chamber]
weight: 2
slots: F=fed C=chamber T1=title:fedvice T2=title:chamberhead P=holder(C,T2)
gold: P HOLDS_POST F title=T1; P HOLDS_POST C title=T2
- {F:short}{T1}、{C}{T2}{P}{@act}。
- {F:short}{T1}、{C}{T2}{P}表示，{@clause}。

[post_fed_chair]
slots: F=fed E=ent T1=title:fedchair T2=title:ent P=holder(F,T1)
gold: P HOLDS_POST F title=T1; P HOLDS_POST E title=T2
- {F}{T1}、{E}{T2}{P}表示，{@clause}。
- “{@quote}”{F:short}{T1}、{E}{T2}{P}说。

[post_party_chamber]
weight: 2
slots: C=chamber Q=party(C) P=holder(Q,书记)
gold: P HOLDS_POST Q title=书记; P HOLDS_POST C title=会长
- {Q}书记、会长{P}说：“{@quote}”
- {Q}书记、会长{P}介绍，{@clause}。

[post_inst]
slots: I=inst T=title:inst P=holder(I,T)
gold: P HOLDS_POST I title=T
- {I}{T}{P}表示，{@clause}。
- 在{I}{T}{P}看来，{@clause}。

[post_agency]
slots: A=agency T=title:agency P=holder(A,T)
gold: P HOLDS_POST A title=T
- {A}{T}{P}在会上通报了{@report_topic}。
- 会上，{A}{T}{P}通报了{@report_topic}。

[post_program_teacher]
slots: C=chamber G=prog.plan T=title:chamberhead P=holder(C,T)
gold: P HOLDS_POST C title=T; P HOLDS_POST G title=班主任
- {C}{T}{P}担任{G}首期研修班班主任。

[post_secretary_liaison]
weight: 2
slots: F=fed C=chamber T=title:chambersec P=holder(C,T)
gold: P HOLDS_POST C title=T; P LIAISES_WITH F role=联络员
- {F:short}还聘请{C}{T}{P}等{#n}人担任商会联络员，及时收集会员企业的困难和诉求。
- {C}{T}{P}被{F:short}聘为统战联络员，{@clause}。

# ------------------------------------------------------------------ liaison

[liaison_leader]
weight: 2
slots: F=fed T=title:fedvice P=holder(F,T) L=chamber*2-3
gold: P HOLDS_POST F title=T; P LIAISES_WITH L role=挂钩联系
- {F:short}{T}{P}挂钩联系{L}，{@visit}。
- 按照分工，{F:short}{T}{P}负责挂钩联系{L}。

[liaison_agency]
slots: A=agency C=chamber
gold: A LIAISES_WITH C role=对接
- {A}明确专人对接{C}，{@visit}。

[liaison_mechanism]
slots: F=fed G=prog.mech
gold: F RUNS G role=建立
- 为把服务送到企业身边，{F}建立{G}，{#n}名班子成员分别联系{#n}家商会。
- {F}建立{G}，{@visit}。

# ------------------------------------------------------------------ affiliation

[member_ent]
weight: 3
slots: C=chamber E=ent
gold: E AFFILIATED_WITH C
- 在{C}会员企业{E}的厂区里，{@scene}。
- {E}是{C}的会员企业，{@act2}。
- 作为{C}会长单位，{E}{@act2}。

[fed_members]
slots: F=fed L=chamber.town*2-3 M=chamber.trade*2
gold: L AFFILIATED_WITH F; M AFFILIATED_WITH F
- 目前，{F}所属商会{#n}家，其中{L}等镇街商会{#n}家，{M}等行业商协会{#n}家。

# ------------------------------------------------------------------ party organisations

[party_fed_group]
slots: Q=party.fedgroup
gold:
- {Q}召开专题会议，研究部署{@work}工作。
- {Q}印发年度工作要点，对{@work}工作作出安排。

[party_cobuild]
slots: B=party.fedbranch C=chamber Q=party(C)
gold: B COOPERATES_WITH Q what=支部共建
- {B}与{Q}开展支部共建，{@party_act}。

[party_under_work]
slots: W=party.work C=chamber Q=party(C)
gold: Q SUBORDINATE_TO W
- {W}下属的{Q}{@party_act2}。
- {W}直属的{Q}{@party_act2}。

# ------------------------------------------------------------------ programmes and events

[run_program]
weight: 3
slots: F=fed|chamber|ufd V=word:verb.run G=prog
gold: F RUNS G role=V
- {F}{V}{G}，面向{@audience}开展{@service}，已有{#n}家企业参与其中。
- 去年，{F}又{V}{G}，{@clause}。
- {F}{V}的{G}，{@clause}。

[run_plan]
weight: 2
slots: F=fed V=word:verb.run G=prog.plan
gold: F RUNS G role=V
- {F}{V}{G}，每年遴选{#n}名左右青年企业家到高校研修、到龙头企业跟岗。
- {G}是{F}{V}的青年企业家培养项目，已举办{#ord}期。

[program_join]
slots: G=prog E=ent*1-2
gold: E PARTICIPATES_IN G
- {E}入选{G}，{@ent_act}。
- {E}参加{G}以来，{@ent_act}。

[event_host]
weight: 2
slots: F=fed|chamber V=word:verb.host E=event
gold: F RUNS E role=V
- {F}{V}{E}，{#n}家企业、{#n}名企业家参加。
- {#month}月，{F}{V}{E}，现场签约项目{#n}个。

[event_sign]
weight: 2
slots: E=event A=chamber|ent B=chamber|inst
gold: A PARTICIPATES_IN E; B PARTICIPATES_IN E; A COOPERATES_WITH B what=签订合作协议
- 在{E}上，{A}与{B}签订合作协议，促成项目签约{#n}个、金额{#money}亿元。

[event_join]
slots: C=chamber E=event
gold: C PARTICIPATES_IN E
- {C}组织{#n}家会员企业参加{E}，{@clause}。

# ------------------------------------------------------------------ documents

[doc_issue]
weight: 2
slots: F=fed|ufd|agency V=word:verb.issue D=doc
gold: F ISSUED D
- {F}{V}{D}，从{@doc_scope}等方面为商会发展立章建制。
- {F}{V}了{D}，明确{@doc_goal}。

[doc_joint]
slots: U=ufd F=fed D=doc
gold: U ISSUED D; F ISSUED D
- {U}与{F:short}联合印发{D}，{@clause}。

# ------------------------------------------------------------------ cooperation

[coop_sign]
weight: 2
slots: F=fed I=inst G=prog
gold: F COOPERATES_WITH I what=签约; F RUNS G role=共同推进; I RUNS G role=共同推进
- {#month}月，{F}与{I}签约，共同推进{G}。
- {F}与{I}签订合作协议，双方将共同推进{G}。

[coop_pair]
weight: 2
slots: A=chamber B=chamber
gold: A COOPERATES_WITH B what=结对
- {A}与{B}结对共建，{@pair_act}。
- 在{A}与{B}的结对帮扶中，{@pair_act}。

[coop_lab]
slots: E=ent I=inst
gold: E COOPERATES_WITH I what=共建联合实验室
- {E}与{I}共建联合实验室，{@ent_act}。

[coop_agencies]
slots: F=fed L=agency*2
gold: F COOPERATES_WITH L what=会同开展服务
- {F}会同{L}等部门开展{@service}，{@clause}。

[coop_team]
slots: F=fed A=agency G=prog.team
gold: F COOPERATES_WITH A what=联合组建; F RUNS G role=组建; A RUNS G role=组建
- {F}联合{A}组建{G}，{#n}名专业人员轮流进驻商会“坐诊”。

[coop_other_fed]
slots: F=fed O=fed.other
gold: F COOPERATES_WITH O what=签订战略合作协议
- {F}与{O}签订战略合作协议，{@clause}。

# ------------------------------------------------------------------ lists, places, people named again

[list_model]
slots: L=chamber*3
gold:
- {L}等{#n}家商会获评首批示范商会。

[list_ents]
slots: L=ent*2-3
gold:
- {L}等企业先后{@ent_act}。

[visit_place]
slots: C=chamber X=place.other
gold:
- {C}组织会员企业赴{X}考察{#n}批次，带回投资项目{#n}个。

[known_says]
weight: 2
slots: P=known
gold:
- “{@quote}”{P}说。
- {P}表示，{@clause}。

# ------------------------------------------------------------------ the frame's own facts (weight 0: placed by the generator)

[headline]
weight: 0
slots: F=fed
gold:
- {F:full}：{@headline_tail}
- {F:full}{@headline_tail}

[lead]
weight: 0
slots: F=fed
gold:
- 今年以来，{F:long}围绕{@focus}，推动商会服务由“大水漫灌”向“精准滴灌”转变。
- {F:dual}坚持党建引领，聚焦{@focus}，全{$loc}商会工作呈现新气象。
- 近年来，{F:long}把商会建设作为服务民营经济的重要抓手，{@clause}。

[closing]
weight: 0
slots: P=known
gold:
- “{@quote}”{P}表示，下一步，将{@plan}。
- {P}表示，接下来，将{@plan}。
