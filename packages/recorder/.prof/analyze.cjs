const fs=require('fs');const f=process.argv[2];const p=JSON.parse(fs.readFileSync(f));
const self=new Map();const byId=new Map(p.nodes.map(n=>[n.id,n]));
const dt=p.timeDeltas;const counts=new Map();
for(let i=0;i<p.samples.length;i++){counts.set(p.samples[i],(counts.get(p.samples[i])||0)+(dt[i]||0));}
const parent=new Map();for(const n of p.nodes)for(const c of n.children||[])parent.set(c,n.id);
let total=0;const agg=new Map();const incl=new Map();
for(const [id,t] of counts){const n=byId.get(id);total+=t;const k=n.callFrame.functionName+' '+n.callFrame.url.split('/').slice(-2).join('/')+':'+n.callFrame.lineNumber;agg.set(k,(agg.get(k)||0)+t);
 let cur=id;const seen=new Set();while(cur!==undefined){const m=byId.get(cur);const kk=m.callFrame.functionName+' '+m.callFrame.url.split('/').slice(-2).join('/')+':'+m.callFrame.lineNumber;if(!seen.has(kk)){seen.add(kk);incl.set(kk,(incl.get(kk)||0)+t);}cur=parent.get(cur);}}
console.log('total ms',total/1000, 'duration', (p.endTime-p.startTime)/1000);
console.log('--- self');[...agg].sort((a,b)=>b[1]-a[1]).slice(0,25).forEach(([k,t])=>console.log((t/1000).toFixed(0).padStart(7),k));
console.log('--- inclusive');[...incl].sort((a,b)=>b[1]-a[1]).slice(0,45).forEach(([k,t])=>console.log((t/1000).toFixed(0).padStart(7),k));
