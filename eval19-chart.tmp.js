const echarts = require('echarts');
const opt = (c) => ({ animation: false, grid: { left: 40, right: 16, top: 16, bottom: 28 }, xAxis: { type: 'category', data: ['1分','2分','3分','4分','5分'] }, yAxis: { type: 'value', minInterval: 1 }, series: [{ type: 'bar', data: c, label: { show: true, position: 'top' } }] });
let t = performance.now();
for (let i = 0; i < 17; i++) { const ch = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 480, height: 220 }); ch.setOption(opt([1,2,3,4,i])); ch.renderToSVGString(); ch.dispose(); }
console.log('init each', performance.now() - t);
t = performance.now();
for (let i = 0; i < 17; i++) { const ch = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 480, height: 220 }); ch.setOption(opt([1,2,3,4,i])); ch.renderToSVGString(); ch.dispose(); }
console.log('init each (warm)', performance.now() - t);
const ch = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 480, height: 220 });
t = performance.now();
for (let i = 0; i < 17; i++) { ch.setOption(opt([1,2,3,4,i]), true); ch.renderToSVGString(); }
console.log('reuse', performance.now() - t);
