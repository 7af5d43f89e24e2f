// variant: kuzu — a link's reports come from the store's index of which relationships each report states (graph/kuzu_links.py), one row per link and report, each with that report's sentences: unwinding each link's `reports` and finding every report by id took Kùzu twice as long (10,000-report graph, raw module median: 60 -> 34 ms)
{{lookup(e, $name)}}
{{report_links(e, l, o, rep)}}
RETURN [[rep.date, rep.id, rep.title]] AS reports, e.name AS entity, l.rel AS rel,
       'out' AS direction, o.name AS other, o.type AS other_type, l.detail AS detail,
       l_in.evidence AS sentences
UNION ALL
{{lookup(e, $name)}}
{{report_links(o, l, e, rep)}}
RETURN [[rep.date, rep.id, rep.title]] AS reports, e.name AS entity, l.rel AS rel,
       'in' AS direction, o.name AS other, o.type AS other_type, l.detail AS detail,
       l_in.evidence AS sentences
