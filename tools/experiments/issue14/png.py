# Minimal 8-bit non-interlaced PNG decoder for the issue-14 diagnostics (no PIL on the machines); not project code.
import zlib, struct, numpy as np
def read_png(path):
    d=open(path,'rb').read(); assert d[:8]==b'\x89PNG\r\n\x1a\n'
    i=8; idat=b''; 
    while i<len(d):
        n=struct.unpack('>I',d[i:i+4])[0]; t=d[i+4:i+8]; c=d[i+8:i+8+n]; i+=12+n
        if t==b'IHDR': w,h,bd,ct,_,_,il=struct.unpack('>IIBBBBB',c)
        elif t==b'IDAT': idat+=c
    assert bd==8 and il==0, (path,bd,il)
    ch={0:1,2:3,4:2,6:4}[ct]; raw=zlib.decompress(idat); stride=w*ch
    out=np.zeros((h,stride),np.int32); prev=np.zeros(stride,np.int32); p=0
    for y in range(h):
        f=raw[p]; line=np.frombuffer(raw,np.uint8,stride,p+1).astype(np.int32); p+=1+stride
        if f==0: cur=line
        elif f==2: cur=(line+prev)&255
        else:
            cur=np.zeros(stride,np.int32)
            for x in range(stride):
                a=cur[x-ch] if x>=ch else 0; b=prev[x]; c2=prev[x-ch] if x>=ch else 0
                if f==1: pr=a
                elif f==3: pr=(a+b)//2
                else:
                    pa=abs(b-c2); pb=abs(a-c2); pc=abs(a+b-2*c2)
                    pr=a if pa<=pb and pa<=pc else (b if pb<=pc else c2)
                cur[x]=(line[x]+pr)&255
        out[y]=cur; prev=cur
    return out.reshape(h,w,ch).astype(np.float64)
