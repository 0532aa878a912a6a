# Diagnostic (issue 14): where do two criteria other than NGF put msrs/ir against msrs/vi — mutual information of the
# intensities (32 bins) and the correlation of gradient magnitudes — over integer shifts within ±R px? Prints one line per pair.
import sys, csv, numpy as np
from png import read_png
import os; S=os.environ.get('MSRS', os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../../shared/data/msrs')); R=6; M=12; B=32
src={r['id']:r['ir_source'].split()[0] for r in csv.DictReader(open(S+'/ir_source.csv'))}
def lum(a): return a[...,0] if a.shape[2]==1 else 0.299*a[...,0]+0.587*a[...,1]+0.114*a[...,2]
def mi(x,y):
    h,_,_=np.histogram2d(x,y,bins=B,range=[[0,256],[0,256]]); p=h/h.sum(); px=p.sum(1); py=p.sum(0)
    nz=p>0; return (p[nz]*np.log(p[nz]/np.outer(px,py)[nz])).sum()
def gradmag(a):
    gx=np.zeros_like(a); gy=np.zeros_like(a); gx[:,1:-1]=a[:,2:]-a[:,:-2]; gy[1:-1]=a[2:]-a[:-2]; return np.hypot(gx,gy)
for id in sorted(src):
    ir=lum(read_png(f'{S}/ir/{id}.png')); vi=lum(read_png(f'{S}/vi/{id}.png'))
    import os
    valid=lum(read_png(f'{S}/ir_valid/{id}.png'))>0 if os.path.exists(f'{S}/ir_valid/{id}.png') else np.ones_like(ir,bool)
    h,w=ir.shape; gi=gradmag(ir); gv=gradmag(vi)
    best={}
    for name,f,a,b in (('MI',mi,ir,vi),('gradcorr',lambda x,y: np.corrcoef(x,y)[0,1],gi,gv)):
        sc=np.full((2*R+1,2*R+1),-9.0)
        for dy in range(-R,R+1):
            for dx in range(-R,R+1):
                # compare vi(p) with ir(p+d): the shift that maps vis pixel to ir pixel
                ys=slice(M,h-M); xs=slice(M,w-M); ys2=slice(M+dy,h-M+dy); xs2=slice(M+dx,w-M+dx)
                m=valid[ys2,xs2]
                sc[dy+R,dx+R]=f(a[ys2,xs2][m],b[ys,xs][m])
        iy,ix=np.unravel_index(sc.argmax(),sc.shape); best[name]=(ix-R,iy-R, sc[R,R], sc.max())
    print(id, src[id][:4], ' '.join(f"{k}: d=({v[0]:+d},{v[1]:+d}) at0 {v[2]:.4f} best {v[3]:.4f}" for k,v in best.items()), flush=True)
