import re,statistics,collections,sys
txt=open(sys.argv[1]).read()
blocks=re.split(r'^== ',txt,flags=re.M)[1:]
rows=collections.defaultdict(list)
for b in blocks:
    head=b.split('\n')[0]
    m=re.match(r"(\w+) (\S+) run (\d)",head)
    if not m: continue
    key=m.group(1)+' '+m.group(2)
    g=re.search(r'median of 1 runs: ([\d,]+) msgs/s, p50 (\d+) us, p99 (\d+) us, p99.9 (\d+) us, errors (\d+).*generator CPU ([\d.]+)',b)
    c=re.search(r'user ([\d.]+) us \+ kernel ([\d.]+) us',b)
    a=re.search(r'median ([\d,]+) msgs/s, (\d+) B/msg allocated, CPU (\d+)%, ([\d.]+) us CPU/msg, GCs (\d+)',b)
    rows[key].append(dict(rate=int(g.group(1).replace(',','')),p50=int(g.group(2)),p99=int(g.group(3)),p999=int(g.group(4)),err=int(g.group(5)),gen=float(g.group(6)),
      user=float(c.group(1)),kern=float(c.group(2)),tot=float(c.group(1))+float(c.group(2)),
      alloc=int(a.group(2)) if a else None, cpumsg=float(a.group(4)) if a else None, gcs=int(a.group(5)) if a else None, cpupct=int(a.group(3)) if a else None))
med=statistics.median
for k,v in rows.items():
    rates=' / '.join('{:,}'.format(x['rate']) for x in v)
    cpu=' / '.join('{:.2f}+{:.2f}'.format(x['user'],x['kern']) for x in v)
    print(k, '| rate', rates, '->', '{:,.0f}'.format(med([x['rate'] for x in v])), '| cpu', cpu, '-> total %.2f (user %.2f kernel %.2f)'%(med([x['tot'] for x in v]),med([x['user'] for x in v]),med([x['kern'] for x in v])),
      '| alloc', [x['alloc'] for x in v], '| p50/p99', med([x['p50'] for x in v]), med([x['p99'] for x in v]), '| err', sum(x['err'] for x in v), '| gen %.2f'%med([x['gen'] for x in v]), '| agent cpu%', [x['cpupct'] for x in v])
