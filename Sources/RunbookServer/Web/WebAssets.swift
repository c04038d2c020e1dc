/// The web page's one style sheet and one script, inline in every page and allowed by their hashes (WebPage.policy).
///
/// The script: countdowns tick every second (against the server's clock, sent in `data-now`); on an incident page an
/// `EventSource` appends each new event to the timeline and then fetches the page's live part again (steps and the
/// timeline, rendered by the server in the reader's language); on the list page a change fetches the list again.
/// A live part is not replaced while the reader is typing in it; it is fetched once they leave the field.
enum WebAssets {
    static let style = """
        body{font-family:system-ui,"Noto Sans CJK KR",sans-serif;margin:0;color:#1d2330;background:#f6f7f9;line-height:1.45}
        header{display:flex;gap:1em;align-items:center;padding:.5em 1em;background:#1d2330;color:#fff}
        header a{color:#cfe0ff;margin-right:.8em}header nav{flex:1;display:flex;align-items:center;gap:.5em}
        .who{margin-left:auto;color:#ddd}main{padding:1em;max-width:72em}
        h1{font-size:1.35em;margin:.2em 0}h2{font-size:1.1em;margin:1.2em 0 .4em}
        table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px solid #dde1e8;padding:.35em .5em;text-align:left;vertical-align:top}
        .overdue{color:#b00020;font-weight:700}.muted{color:#667}.flash{padding:.6em .8em;border-radius:4px;margin:.5em 0;background:#e5f4e9}
        .flash.refused{background:#fde8ea;color:#7a0014}.step{background:#fff;border:1px solid #dde1e8;border-radius:4px;padding:.5em .7em;margin:.4em 0}
        .step.settled{opacity:.75}.status{display:inline-block;min-width:6em;font-weight:600}.status-failed,.status-attemptFailed{color:#b00020}
        .status-running{color:#9a6700}.status-done,.status-skipped{color:#1a7f37}.gate{color:#9a6700}.destructive{color:#b00020;font-weight:700}
        form{margin:.3em 0}form.inline{display:inline}input[type=text],input[type=password],textarea{padding:.25em;border:1px solid #b8bfcc;border-radius:3px}
        button{padding:.25em .7em;margin:.1em .2em .1em 0;border:1px solid #8a94a6;border-radius:3px;background:#fff;cursor:pointer}
        pre{background:#f0f2f5;padding:.4em;overflow:auto;max-height:12em;white-space:pre-wrap}
        ol.timeline{list-style:none;padding:0;background:#fff;border:1px solid #dde1e8}ol.timeline li{padding:.25em .6em;border-bottom:1px solid #eef0f3;white-space:pre-wrap}
        .seq{color:#889;font-size:.85em}.live{color:#1a7f37;font-size:.85em}.actions{display:flex;flex-wrap:wrap;gap:1em}
        .actions form{background:#fff;border:1px solid #dde1e8;border-radius:4px;padding:.4em .6em}label{margin-right:.4em}
        """

    static let script = """
        (function(){
        'use strict';
        var body=document.body,skew=Number(body.dataset.now)-Date.now();
        function pad(n){return(n<10?'0':'')+n}
        function clock(s){return s>=3600?Math.floor(s/3600)+':'+pad(Math.floor(s%3600/60))+':'+pad(s%60):Math.floor(s/60)+':'+pad(s%60)}
        function tick(){
          var now=Date.now()+skew;
          document.querySelectorAll('[data-due]').forEach(function(el){
            var left=Number(el.dataset.due)-now,over=left<=0;
            var s=over?Math.floor(-left/1000):Math.ceil(left/1000);
            el.textContent=(over?body.dataset.over:body.dataset.left).replace('%s',clock(s));
            el.classList.toggle('overdue',over);
          });
        }
        tick();setInterval(tick,1000);
        function typing(root){
          var a=document.activeElement;
          return a&&root.contains(a)&&(a.tagName==='INPUT'||a.tagName==='TEXTAREA')&&a.value!=='';
        }
        function refresher(id,url){
          var timer=null,again=false;
          function run(){
            timer=null;var root=document.getElementById(id);if(!root)return;
            if(typing(root)){again=true;return}
            fetch(url,{credentials:'same-origin',headers:{'Accept':'text/html'}}).then(function(r){
              if(!r.ok)throw new Error(r.status);return r.text();
            }).then(function(html){
              if(typing(root)){again=true;return}
              root.innerHTML=html;tick();
            }).catch(function(){});
          }
          document.addEventListener('focusout',function(){if(again){again=false;setTimeout(run,50)}});
          return function(){if(!timer)timer=setTimeout(run,120)};
        }
        var incident=body.dataset.incident;
        if(incident){
          var refresh=refresher('live','/incidents/'+encodeURIComponent(incident)+'/live');
          var source=new EventSource('/api/v1/incidents/'+encodeURIComponent(incident)+'/events?after='+encodeURIComponent(body.dataset.seq||'0'));
          source.addEventListener('incident-event',function(m){
            var e;try{e=JSON.parse(m.data)}catch(x){return}
            var list=document.getElementById('timeline');
            if(list&&!list.querySelector('[data-seq="'+e.sequence+'"]')){
              var li=document.createElement('li');li.dataset.seq=String(e.sequence);
              var seq=document.createElement('span');seq.className='seq';seq.textContent='#'+e.sequence+' ';
              li.appendChild(seq);li.appendChild(document.createTextNode(e.actor+': '+e.description));
              list.appendChild(li);
            }
            refresh();
          });
          source.addEventListener('open',function(){var s=document.getElementById('live-state');if(s)s.hidden=false});
          source.addEventListener('error',function(){var s=document.getElementById('live-state');if(s)s.hidden=true});
        }
        if(body.dataset.list){
          var refreshList=refresher('list','/live');
          var all=new EventSource('/api/v1/events');
          all.addEventListener('incident-changed',function(){refreshList()});
        }
        })();
        """
}
