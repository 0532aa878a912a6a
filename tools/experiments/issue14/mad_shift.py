# Diagnostic (issue 14): MAD between msrs/ir and itself moved by the shift on which MI and gradient correlation agree.
# Usage: python3 mad_shift.py mi_shift.txt (the output of mi_shift.py)
import sys, re, os, numpy as np, statistics as st
from png import read_png
import os; S=os.environ.get('MSRS', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../../shared/data/msrs')); M=12
rows=[]
for l in open(sys.argv[1] if len(sys.argv) > 1 else 'mi_shift.txt'):
    m=re.findall(r'd=\(([+-]\d+),([+-]\d+)\)',l)
    if len(m)==2: rows.append((l.split()[0],l.split()[1],[(int(a),int(b)) for a,b in m]))
agree=[]
for id,src,((mx,my),(gx,gy)) in rows:
    ok=abs(mx-gx)<=2 and abs(my-gy)<=2
    ir=read_png(f'{S}/ir/{id}.png')[...,0]; h,w=ir.shape
    dx=round((mx+gx)/2); dy=round((my+gy)/2)
    mad=np.abs(ir[M:h-M,M:w-M]-ir[M+dy:h-M+dy,M+dx:w-M+dx]).mean()
    print(id,src,'MI',(mx,my),'grad',(gx,gy),'agree' if ok else '-', f'shift ({dx:+d},{dy:+d}) |d|={np.hypot(dx,dy):.1f} MAD(ir, ir shifted)={mad:.2f}')
    if ok: agree.append((np.hypot(dx,dy),mad))
print(len(agree),'of',len(rows),'agree within 2 px; median |d|',st.median(a for a,_ in agree),'median MAD',st.median(m for _,m in agree))
