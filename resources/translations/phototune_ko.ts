<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>CrashRecovery</name>
    <message>
        <source>PhotoTune Studio closed unexpectedly</source>
        <translation>PhotoTune Studio가 예기치 않게 종료되었습니다</translation>
    </message>
    <message>
        <source>The studio closed unexpectedly last time.</source>
        <translation>지난번에 스튜디오가 예기치 않게 종료되었습니다.</translation>
    </message>
    <message>
        <source>The studio closed unexpectedly while training “%1”. Resume the interrupted run from its last checkpoint?</source>
        <translation>“%1” 학습 중에 스튜디오가 예기치 않게 종료되었습니다. 중단된 학습을 마지막 체크포인트부터 이어서 진행할까요?</translation>
    </message>
    <message>
        <source>A crash report was saved to %1. “phototune-cli diagnostics” packs it with your runs&apos; settings and logs for a bug report; photos are never included.</source>
        <translation>충돌 보고서를 %1에 저장했습니다. “phototune-cli diagnostics”를 실행하면 버그 신고용으로 학습 설정 및 로그와 함께 묶어 줍니다. 사진은 절대 포함되지 않습니다.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>이어서 학습</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>나중에</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>시스템 기본값</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>PhotoTune Studio will speak the new language after a restart.</source>
        <translation>PhotoTune Studio를 다시 시작하면 새 언어로 표시됩니다.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Fine-tune CLIP on your own photos with LoRA.</source>
        <translation>내 사진으로 CLIP을 LoRA 미세 조정합니다.</translation>
    </message>
    <message>
        <source>The demo photos were not found; set PHOTOTUNE_RESOURCES to the studio&apos;s resources folder.</source>
        <translation>데모 사진을 찾지 못했습니다. PHOTOTUNE_RESOURCES를 스튜디오의 리소스 폴더로 설정하세요.</translation>
    </message>
    <message>
        <source>Open the built-in demo project (the first launch does).</source>
        <translation>내장 데모 프로젝트를 엽니다(처음 실행할 때는 자동으로 엽니다).</translation>
    </message>
    <message>
        <source>A folder of photos, one sub-folder per label (a new project), or a .phototune.json project file.</source>
        <translation>레이블마다 하위 폴더가 하나씩 있는 사진 폴더(새 프로젝트) 또는 .phototune.json 프로젝트 파일.</translation>
    </message>
    <message>
        <source>%1 was not found; give a folder of photos or a project file (.phototune.json).</source>
        <translation>%1을(를) 찾지 못했습니다. 사진 폴더나 프로젝트 파일(.phototune.json)을 지정하세요.</translation>
    </message>
</context>
<context>
    <name>phototune::ui::CaptionTableModel</name>
    <message>
        <source>Choose a CLIP model to count tokens.</source>
        <translation>토큰 수를 세려면 CLIP 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>Longer than the model&apos;s %1 tokens: the end will be cut off.</source>
        <translation>모델의 최대 길이(%1토큰)보다 깁니다. 끝부분이 잘립니다.</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>사진</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>레이블</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>캡션</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>태그</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>토큰</translation>
    </message>
</context>
<context>
    <name>phototune::ui::CaptionsPage</name>
    <message>
        <source>1 photo</source>
        <translation>사진 1장</translation>
    </message>
    <message>
        <source>%1 photos</source>
        <translation>사진 %1장</translation>
    </message>
    <message>
        <source>Captioned %1</source>
        <translation>캡션 작성: %1</translation>
    </message>
    <message>
        <source>; %1 kept their own captions</source>
        <translation> · 기존 캡션 유지: %1장</translation>
    </message>
    <message>
        <source>; %1 longer than %2 tokens will be cut</source>
        <translation> · %2토큰을 넘어 잘릴 캡션: %1개</translation>
    </message>
    <message>
        <source>Captions</source>
        <translation>캡션</translation>
    </message>
    <message>
        <source>What each photo shows, in words: the adapter learns to match photos to their captions. Edit them one by one (Up/Down move, Enter saves and moves on), change a selection at once, or have them suggested by zero-shot tagging.</source>
        <translation>각 사진에 무엇이 보이는지 글로 적은 것입니다. 어댑터는 사진과 캡션을 짝짓는 법을 배웁니다. 하나씩 편집하거나(위/아래 키로 이동, Enter 키로 저장하고 다음으로), 선택한 사진을 한꺼번에 바꾸거나, 제로샷 태깅으로 제안을 받으세요.</translation>
    </message>
    <message>
        <source>Model folder…</source>
        <translation>모델 폴더…</translation>
    </message>
    <message>
        <source>Choose a CLIP model folder</source>
        <translation>CLIP 모델 폴더 선택</translation>
    </message>
    <message>
        <source>{label} is the photo&apos;s label, {tags} its tags joined by commas.</source>
        <translation>{label}은 사진의 레이블, {tags}는 쉼표로 이은 태그입니다.</translation>
    </message>
    <message>
        <source>Replace existing captions</source>
        <translation>기존 캡션 바꾸기</translation>
    </message>
    <message>
        <source>Auto-caption…</source>
        <translation>자동 캡션…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>중지하는 중…</translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>템플릿:</translation>
    </message>
    <message>
        <source>Search photos, captions and tags</source>
        <translation>사진, 캡션, 태그 검색</translation>
    </message>
    <message>
        <source>No caption only</source>
        <translation>캡션 없는 사진만</translation>
    </message>
    <message>
        <source>Caption: what the photo shows</source>
        <translation>캡션: 사진에 보이는 것</translation>
    </message>
    <message>
        <source>Add a tag</source>
        <translation>태그 추가</translation>
    </message>
    <message>
        <source>Tags:</source>
        <translation>태그:</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>태그</translation>
    </message>
    <message>
        <source>Add to selected</source>
        <translation>선택한 사진에 추가</translation>
    </message>
    <message>
        <source>Remove from selected</source>
        <translation>선택한 사진에서 제거</translation>
    </message>
    <message>
        <source>Find in captions</source>
        <translation>캡션에서 찾기</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>바꿀 내용</translation>
    </message>
    <message>
        <source>Replace in selected</source>
        <translation>선택한 사진에서 바꾸기</translation>
    </message>
    <message>
        <source>Loading the model in %1…</source>
        <translation>%1에서 모델을 불러오는 중…</translation>
    </message>
    <message>
        <source>Could not load the model in %1: %2</source>
        <translation>%1의 모델을 불러오지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Model: %1 (%2 tokens of context)</source>
        <translation>모델: %1 (컨텍스트 %2토큰)</translation>
    </message>
    <message>
        <source>No photo selected.</source>
        <translation>선택한 사진이 없습니다.</translation>
    </message>
    <message>
        <source>no token count without a model</source>
        <translation>모델이 없어 토큰 수를 셀 수 없음</translation>
    </message>
    <message>
        <source>Choose a CLIP model folder to count the caption&apos;s tokens.</source>
        <translation>캡션의 토큰 수를 세려면 CLIP 모델 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2토큰</translation>
    </message>
    <message>
        <source>? tokens</source>
        <translation>? 토큰</translation>
    </message>
    <message>
        <source>Longer than the model&apos;s %1 tokens: the end will be cut off.</source>
        <translation>모델의 최대 길이(%1토큰)보다 깁니다. 끝부분이 잘립니다.</translation>
    </message>
    <message>
        <source>Tokens the caption takes, start and end included.</source>
        <translation>캡션이 차지하는 토큰 수(시작·끝 토큰 포함)입니다.</translation>
    </message>
    <message>
        <source>Remove the tag “%1”</source>
        <translation>“%1” 태그 제거</translation>
    </message>
    <message>
        <source>All labels</source>
        <translation>모든 레이블</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>모든 태그</translation>
    </message>
    <message>
        <source>Auto-captioning tags photos with a CLIP model: choose a model folder first.</source>
        <translation>자동 캡션은 CLIP 모델로 사진에 태그를 붙입니다. 먼저 모델 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>No CLIP model chosen: auto-captioning and token counts need one.</source>
        <translation>CLIP 모델을 선택하지 않았습니다. 자동 캡션과 토큰 수 세기에 필요합니다.</translation>
    </message>
    <message>
        <source>Add photos in the Photos step first.</source>
        <translation>먼저 사진 단계에서 사진을 추가하세요.</translation>
    </message>
    <message>
        <source>Tag every included photo with the model and caption those without one.</source>
        <translation>포함된 모든 사진에 모델로 태그를 붙이고, 캡션이 없는 사진에는 캡션을 답니다.</translation>
    </message>
    <message>
        <source>Added “%1” to %2 of %3.</source>
        <translation>%3 중 %2장에 “%1” 태그를 추가했습니다.</translation>
    </message>
    <message>
        <source>Removed “%1” from %2 of %3.</source>
        <translation>%3 중 %2장에서 “%1” 태그를 제거했습니다.</translation>
    </message>
    <message>
        <source>Replaced in the captions of %1 of %2.</source>
        <translation>%2 중 %1장의 캡션에서 바꿨습니다.</translation>
    </message>
    <message>
        <source>Tagging photo %1 of %2…</source>
        <translation>사진에 태그를 붙이는 중… (%1/%2)</translation>
    </message>
    <message>
        <source>Auto-captioning stopped; no caption was changed.</source>
        <translation>자동 캡션을 중지했습니다. 바뀐 캡션은 없습니다.</translation>
    </message>
    <message>
        <source>Auto-captioning failed: %1</source>
        <translation>자동 캡션 실패: %1</translation>
    </message>
    <message>
        <source>Reading the vocabulary…</source>
        <translation>어휘를 읽는 중…</translation>
    </message>
    <message>
        <source>The CLIP model that tags the photos and counts caption tokens. A pretrained CLIP gives meaningful tags; tagging takes about a second per 10 photos on a CPU.</source>
        <translation>사진에 태그를 붙이고 캡션의 토큰 수를 세는 CLIP 모델입니다. 사전 학습된 CLIP이어야 의미 있는 태그가 나옵니다. CPU에서는 사진 10장에 약 1초가 걸립니다.</translation>
    </message>
    <message>
        <source>Also write new captions over the ones photos already have (from sidecar files or your edits). Off: only photos without a caption get one.</source>
        <translation>사진에 이미 있는 캡션(사이드카 파일이나 직접 편집한 것)도 새 캡션으로 덮어씁니다. 끄면 캡션이 없는 사진에만 캡션을 붙입니다.</translation>
    </message>
    <message>
        <source>Model: %1, untrained (the demo&apos;s): it counts tokens, but its tags are random. Choose a pretrained CLIP on the Setup step for real tags.</source>
        <translation>모델: %1, 학습되지 않음(데모용): 토큰 수는 세지만 태그는 무작위입니다. 제대로 된 태그를 얻으려면 설정 단계에서 사전 학습된 CLIP을 선택하세요.</translation>
    </message>
</context>
<context>
    <name>phototune::ui::ExportPage</name>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Save what the run learned: a small LoRA adapter that PEFT loads on top of the base model, or a whole model with the adapter folded in, for tools that do not know PEFT.</source>
        <translation>학습 결과를 저장합니다. PEFT가 기본 모델 위에 불러오는 작은 LoRA 어댑터로 저장하거나, PEFT를 모르는 도구를 위해 어댑터를 합친 전체 모델로 저장할 수 있습니다.</translation>
    </message>
    <message>
        <source>No run yet: train one on the Train step, or choose a run folder.</source>
        <translation>아직 학습이 없습니다. 학습 단계에서 학습하거나 학습 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>LoRA adapter (PEFT layout)</source>
        <translation>LoRA 어댑터(PEFT 구조)</translation>
    </message>
    <message>
        <source>Merged model (Hugging Face CLIP folder)</source>
        <translation>병합 모델(Hugging Face CLIP 폴더)</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>폴더 열기</translation>
    </message>
    <message>
        <source>Choose run…</source>
        <translation>학습 선택…</translation>
    </message>
    <message>
        <source>Export another run: pick its folder (the one holding run.json).</source>
        <translation>다른 학습을 내보냅니다. 해당 폴더(run.json이 있는 폴더)를 선택하세요.</translation>
    </message>
    <message>
        <source>A few megabytes: only the LoRA weights. Load it with PEFT on top of the same base model; it can be switched off or scaled later.</source>
        <translation>몇 MB 정도로, LoRA 가중치만 담습니다. 같은 기본 모델 위에 PEFT로 불러오세요. 나중에 끄거나 강도를 조절할 수 있습니다.</translation>
    </message>
    <message>
        <source>As large as the base model: its weights with the adapter added in. Loads in any tool that reads Hugging Face CLIP folders, without PEFT; no longer separable.</source>
        <translation>기본 모델만큼 크며, 기본 모델 가중치에 어댑터를 더한 것입니다. PEFT 없이 Hugging Face CLIP 폴더를 읽는 모든 도구에서 불러올 수 있지만, 다시 분리할 수는 없습니다.</translation>
    </message>
    <message>
        <source>How much of the learned change to keep: 0 % is the base model, 100 % the adapter as trained. Lower values keep more of the model&apos;s general knowledge; above 100 % exaggerates the change. Costs nothing at export.</source>
        <translation>학습된 변화를 얼마나 반영할지 정합니다. 0 %는 기본 모델, 100 %는 학습한 그대로의 어댑터입니다. 값이 낮을수록 모델의 일반 지식이 더 많이 유지되고, 100 %를 넘으면 변화가 과장됩니다. 내보낼 때 추가 비용은 없습니다.</translation>
    </message>
    <message>
        <source>The folder to write. An existing folder with files in it is only replaced after you confirm.</source>
        <translation>저장할 폴더입니다. 파일이 들어 있는 기존 폴더는 확인을 받은 뒤에만 덮어씁니다.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>학습:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>형식:</translation>
    </message>
    <message>
        <source>Strength:</source>
        <translation>강도:</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>폴더:</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>키</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Where the export comes from, written into its files so that it travels with them.</source>
        <translation>내보낸 결과의 출처입니다. 파일 안에 함께 기록되어 파일과 함께 전달됩니다.</translation>
    </message>
    <message>
        <source>Written with it</source>
        <translation>함께 기록되는 정보</translation>
    </message>
    <message>
        <source>After the export: Python that loads it.</source>
        <translation>내보낸 뒤 이를 불러오는 Python 코드입니다.</translation>
    </message>
    <message>
        <source>Use it in Python</source>
        <translation>Python에서 사용하기</translation>
    </message>
    <message>
        <source>%1 — reading…</source>
        <translation>%1 — 읽는 중…</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 — finished, %2 steps</source>
        <translation>%1 — 완료, %2스텝</translation>
    </message>
    <message>
        <source>%1 — stopped: its checkpoint of step %2 of %3 is exported</source>
        <translation>%1 — 중지됨: %3스텝 중 %2스텝의 체크포인트를 내보냅니다</translation>
    </message>
    <message>
        <source>%1 — no checkpoint yet: train it longer first</source>
        <translation>%1 — 아직 체크포인트가 없습니다. 먼저 더 학습하세요</translation>
    </message>
    <message>
        <source>Choose a training run folder</source>
        <translation>학습 폴더 선택</translation>
    </message>
    <message>
        <source>Export into folder</source>
        <translation>내보낼 폴더</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Replace files?</source>
        <translation>파일을 덮어쓸까요?</translation>
    </message>
    <message>
        <source>%1 already holds files. Write the export into it, replacing files of the same names?</source>
        <translation>%1에 이미 파일이 있습니다. 이 폴더에 내보내고 이름이 같은 파일을 덮어쓸까요?</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>내보내는 중…</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>내보내기 실패: %1</translation>
    </message>
    <message>
        <source>Wrote the merged model of step %1 at %2 % strength to %3 (%4).</source>
        <translation>%1스텝의 병합 모델을 강도 %2 %로 %3에 저장했습니다(%4).</translation>
    </message>
    <message>
        <source>Wrote the adapter of step %1 at %2 % strength to %3 (%4).</source>
        <translation>%1스텝의 어댑터를 강도 %2 %로 %3에 저장했습니다(%4).</translation>
    </message>
    <message>
        <source>Write the export (Ctrl+Enter). An adapter takes a moment; a merged model is as large as the base model and takes as long as saving it.</source>
        <translation>내보내기를 씁니다(Ctrl+Enter). 어댑터는 금방 끝나고, 병합 모델은 기본 모델만큼 크며 그것을 저장하는 만큼 시간이 걸립니다.</translation>
    </message>
</context>
<context>
    <name>phototune::ui::MainWindow</name>
    <message>
        <source>PhotoTune Studio — %1</source>
        <translation>PhotoTune Studio — %1</translation>
    </message>
    <message>
        <source>No new photos in %1</source>
        <translation>%1에 새 사진이 없습니다</translation>
    </message>
    <message>
        <source>Added %1 photos from %2</source>
        <translation>%2에서 사진 %1장을 추가했습니다</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>준비됨</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About PhotoTune Studio…</source>
        <translation>PhotoTune Studio 정보(&amp;A)…</translation>
    </message>
    <message>
        <source>Listing %1…</source>
        <translation>%1의 목록을 만드는 중…</translation>
    </message>
    <message>
        <source>Add a folder of photos</source>
        <translation>사진 폴더 추가</translation>
    </message>
    <message>
        <source>About PhotoTune Studio</source>
        <translation>PhotoTune Studio 정보</translation>
    </message>
    <message>
        <source>&lt;h3&gt;PhotoTune Studio&lt;/h3&gt;&lt;p&gt;Fine-tune CLIP on your own photos with LoRA.&lt;/p&gt;&lt;pre&gt;%1&lt;/pre&gt;</source>
        <translation>&lt;h3&gt;PhotoTune Studio&lt;/h3&gt;&lt;p&gt;내 사진으로 CLIP을 LoRA 미세 조정합니다.&lt;/p&gt;&lt;pre&gt;%1&lt;/pre&gt;</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>이동(&amp;G)</translation>
    </message>
    <message>
        <source>Save &amp;diagnostics…</source>
        <translation>진단 정보 저장(&amp;D)…</translation>
    </message>
    <message>
        <source>Write one zip to attach to a bug report: versions, hardware, your runs&apos; settings and logs, crash reports. Never your photos or models.</source>
        <translation>버그 신고에 첨부할 zip 파일 하나를 만듭니다. 버전, 하드웨어, 학습 설정 및 로그, 충돌 보고서가 들어가며 사진이나 모델은 절대 포함되지 않습니다.</translation>
    </message>
    <message>
        <source>Could not make the demo model: %1</source>
        <translation>데모 모델을 만들지 못했습니다: %1</translation>
    </message>
    <message>
        <source>Add a folder of photos first: the plan trains on them.</source>
        <translation>먼저 사진 폴더를 추가하세요. 계획은 그 사진으로 학습합니다.</translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>진단 정보 저장</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Zip 압축 파일(*.zip)</translation>
    </message>
    <message>
        <source>Saving diagnostics…</source>
        <translation>진단 정보를 저장하는 중…</translation>
    </message>
    <message>
        <source>Saved diagnostics to %1: attach it to your bug report.</source>
        <translation>진단 정보를 %1에 저장했습니다. 버그 신고에 첨부하세요.</translation>
    </message>
    <message>
        <source>Could not save the diagnostics.</source>
        <translation>진단 정보를 저장하지 못했습니다.</translation>
    </message>
    <message>
        <source>Could not save the diagnostics: %1</source>
        <translation>진단 정보를 저장하지 못했습니다: %1</translation>
    </message>
    <message>
        <source>Auto-captioning is still running: let it finish (or cancel it) on the Captions step, then start training.</source>
        <translation>자동 캡션이 아직 진행 중입니다. 캡션 단계에서 끝나기를 기다리거나 취소한 다음 학습을 시작하세요.</translation>
    </message>
    <message>
        <source>left out by you</source>
        <translation>직접 뺌</translation>
    </message>
    <message>
        <source>Left out %1 photos; the next run trains without them.</source>
        <translation>사진 %1장을 뺐습니다. 다음 학습은 이 사진 없이 진행됩니다.</translation>
    </message>
    <message>
        <source>Included %1 photos again.</source>
        <translation>사진 %1장을 다시 넣었습니다.</translation>
    </message>
    <message>
        <source>PhotoTune Studio</source>
        <translation>PhotoTune Studio</translation>
    </message>
    <message>
        <source>Labelled %1 photos “%2”.</source>
        <translation>사진 %1장에 “%2” 레이블을 붙였습니다.</translation>
    </message>
    <message>
        <source>Removed %1 photos from the project; their files are untouched.</source>
        <translation>사진 %1장을 프로젝트에서 뺐습니다. 파일은 그대로 있습니다.</translation>
    </message>
    <message>
        <source>&amp;New project…</source>
        <translation>새 프로젝트(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation>프로젝트 열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>최근 프로젝트(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>프로젝트 저장(&amp;S)</translation>
    </message>
    <message>
        <source>Projects are also saved on their own a moment after each change.</source>
        <translation>프로젝트는 바뀔 때마다 잠시 뒤 자동으로도 저장됩니다.</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>다른 이름으로 프로젝트 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Add folder of photos…</source>
        <translation>사진 폴더 추가(&amp;A)…</translation>
    </message>
    <message>
        <source>Run &amp;history…</source>
        <translation>학습 기록(&amp;H)…</translation>
    </message>
    <message>
        <source>Every run of this project: its settings, curves and accuracy; compare two side by side.</source>
        <translation>이 프로젝트의 모든 학습: 설정, 곡선, 정확도를 보고 두 학습을 나란히 비교합니다.</translation>
    </message>
    <message>
        <source>Auto-captioning is running: %1 after it ends (or cancel it on the Captions step).</source>
        <translation>자동 캡션이 진행 중입니다. 끝난 뒤에 %1(또는 캡션 단계에서 취소하세요).</translation>
    </message>
    <message>
        <source>start a new project</source>
        <translation>새 프로젝트를 시작하세요</translation>
    </message>
    <message>
        <source>open another project</source>
        <translation>다른 프로젝트를 여세요</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>%1 여는 중…</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>새 프로젝트</translation>
    </message>
    <message>
        <source>Name of the project:</source>
        <translation>프로젝트 이름:</translation>
    </message>
    <message>
        <source>My photos</source>
        <translation>내 사진</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>프로젝트 열기</translation>
    </message>
    <message>
        <source>PhotoTune projects (*.phototune.json)</source>
        <translation>PhotoTune 프로젝트 (*.phototune.json)</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>다른 이름으로 프로젝트 저장</translation>
    </message>
    <message>
        <source>Saved the project to %1; its runs from now on go beside it.</source>
        <translation>프로젝트를 %1에 저장했습니다. 이제부터 학습 결과는 그 옆에 저장됩니다.</translation>
    </message>
    <message>
        <source>Project %1 (%2)</source>
        <translation>프로젝트 %1 (%2)</translation>
    </message>
    <message>
        <source>change the photos</source>
        <translation>사진을 편집하세요</translation>
    </message>
</context>
<context>
    <name>phototune::ui::MemoryBar</name>
    <message>
        <source>Predicted peak memory of one training step, by what holds it, against what this machine can give (the line).</source>
        <translation>학습 스텝 하나의 예상 최대 메모리를 항목별로 나눠, 이 컴퓨터가 제공할 수 있는 메모리(선)와 비교합니다.</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>가중치</translation>
    </message>
    <message>
        <source>LoRA + optimizer</source>
        <translation>LoRA + 옵티마이저</translation>
    </message>
    <message>
        <source>activations</source>
        <translation>활성화</translation>
    </message>
    <message>
        <source>overhead</source>
        <translation>오버헤드</translation>
    </message>
    <message>
        <source>Predicted peak: %1 of %2.
weights %3 · LoRA + optimizer %4 · activations %5 · overhead %6</source>
        <translation>예상 최대 사용량: %2 중 %1.
가중치 %3 · LoRA + 옵티마이저 %4 · 활성화 %5 · 오버헤드 %6</translation>
    </message>
</context>
<context>
    <name>phototune::ui::PhotoListModel</name>
    <message>
        <source>Cannot read this photo: %1</source>
        <translation>이 사진을 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>No caption yet</source>
        <translation>아직 캡션 없음</translation>
    </message>
    <message>
        <source>unknown image format</source>
        <translation>알 수 없는 이미지 형식</translation>
    </message>
    <message>
        <source>%1 (left out)</source>
        <translation>%1 (뺌)</translation>
    </message>
    <message>
        <source>Left out of training: %1</source>
        <translation>학습에서 뺌: %1</translation>
    </message>
</context>
<context>
    <name>phototune::ui::PhotosPage</name>
    <message>
        <source>No photos yet.</source>
        <translation>아직 사진이 없습니다.</translation>
    </message>
    <message>
        <source>1 photo</source>
        <translation>사진 1장</translation>
    </message>
    <message>
        <source>%1 photos</source>
        <translation>사진 %1장</translation>
    </message>
    <message>
        <source>1 label</source>
        <translation>레이블 1개</translation>
    </message>
    <message>
        <source>%1 labels</source>
        <translation>레이블 %1개</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%2, %1</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>사진</translation>
    </message>
    <message>
        <source>The photos the adapter learns from: each sub-folder is a label, and a .txt file beside a photo is its caption. Add a folder, or drop one onto the window.</source>
        <translation>어댑터가 배울 사진입니다. 하위 폴더 하나가 레이블 하나이고, 사진 옆의 .txt 파일이 그 사진의 캡션입니다. 폴더를 추가하거나 창에 끌어다 놓으세요.</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>폴더 추가…</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>레이블</translation>
    </message>
    <message>
        <source>Listing %1…</source>
        <translation>%1의 목록을 만드는 중…</translation>
    </message>
    <message>
        <source>Held out</source>
        <translation>평가용</translation>
    </message>
    <message>
        <source>Photos kept out of training to measure what the adapter learned (the validation split, the same for every run).</source>
        <translation>어댑터가 무엇을 배웠는지 재기 위해 학습에서 빼 둔 사진입니다(검증 분할, 모든 학습에서 같음).</translation>
    </message>
    <message>
        <source>Not used</source>
        <translation>사용 안 함</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>이유</translation>
    </message>
    <message>
        <source>Not used (%1)</source>
        <translation>사용 안 함 (%1)</translation>
    </message>
    <message>
        <source>; %1 held out for validation</source>
        <translation> · 검증용으로 따로 둔 사진: %1장</translation>
    </message>
    <message>
        <source>; %1 files not used</source>
        <translation> · 사용하지 않는 파일: %1개</translation>
    </message>
    <message>
        <source>Leave out</source>
        <translation>빼기</translation>
    </message>
    <message>
        <source>Include</source>
        <translation>다시 넣기</translation>
    </message>
    <message>
        <source>Leave the selected photos out of training and validation (a blurred shot, a wrong label). The files stay where they are.</source>
        <translation>선택한 사진을 학습과 검증에서 뺍니다(흐린 사진, 잘못된 레이블 등). 파일은 그대로 둡니다.</translation>
    </message>
    <message>
        <source>Use the selected photos again, also copies the studio left out.</source>
        <translation>선택한 사진을 다시 사용합니다. 스튜디오가 중복으로 뺀 사진도 포함됩니다.</translation>
    </message>
    <message>
        <source>Relabel…</source>
        <translation>레이블 바꾸기…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <source>Give the selected photos another label, for a photo filed in the wrong folder. The files are not moved.</source>
        <translation>선택한 사진에 다른 레이블을 붙입니다. 잘못된 폴더에 들어간 사진에 씁니다. 파일은 옮기지 않습니다.</translation>
    </message>
    <message>
        <source>Take the selected photos out of the project. The files stay on disk; adding their folder again brings them back.</source>
        <translation>선택한 사진을 프로젝트에서 뺍니다. 파일은 디스크에 그대로 있으며, 그 폴더를 다시 추가하면 돌아옵니다.</translation>
    </message>
    <message>
        <source>Relabel photos</source>
        <translation>사진 레이블 바꾸기</translation>
    </message>
    <message>
        <source>New label for the selected photo:</source>
        <translation>선택한 사진의 새 레이블:</translation>
    </message>
    <message>
        <source>New label for the %1 selected photos:</source>
        <translation>선택한 사진 %1장의 새 레이블:</translation>
    </message>
</context>
<context>
    <name>phototune::ui::PredictionGallery</name>
    <message>
        <source>Before</source>
        <translation>학습 전</translation>
    </message>
    <message>
        <source>After</source>
        <translation>학습 후</translation>
    </message>
    <message>
        <source>Most wrong first</source>
        <translation>틀린 것 먼저</translation>
    </message>
    <message>
        <source>Held-out photos the adapter never trains on: green when its top guess is right, red when wrong.</source>
        <translation>어댑터가 학습에 쓰지 않도록 따로 떼어 둔 사진입니다. 가장 유력한 추측이 맞으면 초록색, 틀리면 빨간색입니다.</translation>
    </message>
    <message>
        <source>What the base model, before training, guesses for these photos.</source>
        <translation>학습 전 기본 모델이 이 사진들을 어떻게 추측하는지 보여 줍니다.</translation>
    </message>
    <message>
        <source>What the adapter guesses at its latest evaluation.</source>
        <translation>최근 평가에서 어댑터가 추측한 결과입니다.</translation>
    </message>
    <message>
        <source>Show wrong guesses first, the most confident mistakes on top.</source>
        <translation>틀린 추측을 먼저 보여 주며, 가장 확신했던 실수가 맨 위에 옵니다.</translation>
    </message>
    <message>
        <source>The held-out photos appear here at the first evaluation.</source>
        <translation>따로 떼어 둔 사진은 첫 평가 때 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>%1 of %2 right</source>
        <translation>%2장 중 %1장 정답</translation>
    </message>
    <message>
        <source>Base model: %1</source>
        <translation>기본 모델: %1</translation>
    </message>
    <message>
        <source>Step %1: %2</source>
        <translation>%1스텝: %2</translation>
    </message>
</context>
<context>
    <name>phototune::ui::PredictionModel</name>
    <message>
        <source>%1 (%2 %)</source>
        <translation>%1 (%2 %)</translation>
    </message>
    <message>
        <source>%1
True label: %2</source>
        <translation>%1
실제 레이블: %2</translation>
    </message>
    <message>
        <source>
%1: %2 %</source>
        <translation>
%1: %2 %</translation>
    </message>
</context>
<context>
    <name>phototune::ui::ProjectSession</name>
    <message>
        <source>Could not open the project %1: %2</source>
        <translation>프로젝트 %1을(를) 열지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>%1을(를) 읽지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>제목 없음</translation>
    </message>
    <message>
        <source>Could not save the project to %1: %2</source>
        <translation>프로젝트를 %1에 저장하지 못했습니다: %2</translation>
    </message>
</context>
<context>
    <name>phototune::ui::RunHistoryDialog</name>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>stopped at step %1, checkpoint of step %2</source>
        <translation>%1스텝에서 중지됨, %2스텝의 체크포인트 있음</translation>
    </message>
    <message>
        <source>stopped at step %1, no checkpoint</source>
        <translation>%1스텝에서 중지됨, 체크포인트 없음</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>no</source>
        <translation>아니요</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>%1 steps</source>
        <translation>%1스텝</translation>
    </message>
    <message>
        <source>%1 epochs</source>
        <translation>%1에포크</translation>
    </message>
    <message>
        <source>auto (5 % of the steps)</source>
        <translation>자동(스텝의 5 %)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>%1 % of the steps</source>
        <translation>스텝의 %1 %</translation>
    </message>
    <message>
        <source>images only</source>
        <translation>이미지만</translation>
    </message>
    <message>
        <source>text only</source>
        <translation>텍스트만</translation>
    </message>
    <message>
        <source>images and text</source>
        <translation>이미지와 텍스트</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>사진</translation>
    </message>
    <message>
        <source>Trains</source>
        <translation>학습 대상</translation>
    </message>
    <message>
        <source>LoRA rank</source>
        <translation>LoRA 랭크</translation>
    </message>
    <message>
        <source>LoRA alpha</source>
        <translation>LoRA 알파</translation>
    </message>
    <message>
        <source>LoRA dropout</source>
        <translation>LoRA 드롭아웃</translation>
    </message>
    <message>
        <source>LoRA targets</source>
        <translation>LoRA 대상</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>레이어</translation>
    </message>
    <message>
        <source>last %1</source>
        <translation>마지막 %1개</translation>
    </message>
    <message>
        <source>all</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>Length asked for</source>
        <translation>요청한 길이</translation>
    </message>
    <message>
        <source>Steps planned</source>
        <translation>계획한 스텝</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>배치</translation>
    </message>
    <message>
        <source>Accumulation</source>
        <translation>누적</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Warm-up</source>
        <translation>워밍업</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>가중치 감쇠</translation>
    </message>
    <message>
        <source>Gradient clipping</source>
        <translation>그래디언트 클리핑</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>Gradient checkpointing</source>
        <translation>그래디언트 체크포인팅</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>손실 함수</translation>
    </message>
    <message>
        <source>Held out</source>
        <translation>평가용</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>데이터 증강</translation>
    </message>
    <message>
        <source>Label prompts</source>
        <translation>레이블 프롬프트</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>Evaluate every</source>
        <translation>평가 간격</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>step</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>Each compared run&apos;s loss per step. Drag to pan, wheel to zoom, double-click to fit.</source>
        <translation>비교하는 각 학습의 스텝별 손실입니다. 끌어서 이동하고, 휠로 확대/축소하고, 두 번 클릭하면 전체가 보이게 맞춥니다.</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>정확도(%)</translation>
    </message>
    <message>
        <source>&quot;Learns your photos&quot; (solid): zero-shot accuracy on the held-out photos at each evaluation, the base model&apos;s at step 0. &quot;Keeps general knowledge&quot; (dashed): accuracy on a generic probe set.</source>
        <translation>&quot;내 사진 학습&quot;(실선): 평가할 때마다 잰, 따로 떼어 둔 사진에 대한 제로샷 정확도이며 0스텝은 기본 모델의 정확도입니다. &quot;일반 지식 유지&quot;(점선): 일반 검사 세트에 대한 정확도입니다.</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>이어서 학습</translation>
    </message>
    <message>
        <source>Run history</source>
        <translation>학습 기록</translation>
    </message>
    <message>
        <source>Newest first. Select one run to see it, or two (Ctrl+click) to compare them.</source>
        <translation>최신순입니다. 학습 하나를 선택하면 그 내용을, 두 개를 선택하면(Ctrl+클릭) 비교를 보여 줍니다.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>The run&apos;s folder in the runs folder.</source>
        <translation>학습 결과 폴더 안에 있는 이 학습의 폴더입니다.</translation>
    </message>
    <message>
        <source>The base model the adapter was trained on.</source>
        <translation>어댑터를 학습시킨 기본 모델입니다.</translation>
    </message>
    <message>
        <source>How much the adapter can learn: a larger rank learns more and needs more memory.</source>
        <translation>어댑터가 배울 수 있는 양입니다. 랭크가 클수록 더 많이 배우고 메모리를 더 씁니다.</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>Training steps done of the steps planned.</source>
        <translation>계획한 학습 스텝 중 완료한 스텝입니다.</translation>
    </message>
    <message>
        <source>Learns your photos</source>
        <translation>내 사진 학습</translation>
    </message>
    <message>
        <source>The best zero-shot accuracy on your held-out photos at the run&apos;s evaluations (the base model&apos;s not counted).</source>
        <translation>학습 중 평가에서 따로 떼어 둔 내 사진에 대해 나온 최고 제로샷 정확도입니다(기본 모델의 정확도는 제외).</translation>
    </message>
    <message>
        <source>Keeps general knowledge</source>
        <translation>일반 지식 유지</translation>
    </message>
    <message>
        <source>Zero-shot accuracy on a generic probe set at the last evaluation that measured it: far below the base model&apos;s means the adapter made CLIP forget what it knew.</source>
        <translation>마지막으로 잰 평가에서 일반 검사 세트에 대한 제로샷 정확도입니다. 기본 모델보다 훨씬 낮으면 어댑터 때문에 CLIP이 알던 것을 잊었다는 뜻입니다.</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Finished (the adapter is written), or stopped: a run stopped with a checkpoint can be continued.</source>
        <translation>완료(어댑터를 저장함) 또는 중지됨입니다. 체크포인트가 있는 중지된 학습은 이어서 할 수 있습니다.</translation>
    </message>
    <message>
        <source>List the runs folder again.</source>
        <translation>학습 결과 폴더를 다시 읽습니다.</translation>
    </message>
    <message>
        <source>Export the selected run&apos;s adapter (of its newest checkpoint when it was stopped).</source>
        <translation>선택한 학습의 어댑터를 내보냅니다(중지된 학습이면 가장 최근 체크포인트의 어댑터).</translation>
    </message>
    <message>
        <source>Continue the selected stopped run from its newest checkpoint.</source>
        <translation>선택한 중지된 학습을 가장 최근 체크포인트부터 이어서 합니다.</translation>
    </message>
    <message>
        <source>The settings in each run&apos;s run.json; the ones that differ are in bold. &quot;auto&quot;: chosen for the photos when the run started.</source>
        <translation>각 학습의 run.json에 있는 설정이며, 서로 다른 설정은 굵게 표시합니다. &quot;자동&quot;: 학습을 시작할 때 사진에 맞춰 정한 값입니다.</translation>
    </message>
    <message>
        <source>Reading the runs in %1…</source>
        <translation>%1의 학습을 읽는 중…</translation>
    </message>
    <message>
        <source>No runs in %1 yet: train one on the Train step.</source>
        <translation>%1에 아직 학습이 없습니다. 학습 단계에서 학습을 시작하세요.</translation>
    </message>
    <message>
        <source>The runs in %1. Select one to see it, or two (Ctrl+click) to compare them.</source>
        <translation>%1의 학습입니다. 하나를 선택하면 그 내용을, 두 개를 선택하면(Ctrl+클릭) 비교를 보여 줍니다.</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 runs selected: the first two are compared.</source>
        <translation>학습 %1개를 선택했습니다. 처음 두 개를 비교합니다.</translation>
    </message>
    <message>
        <source>%1: learns your photos</source>
        <translation>%1: 내 사진 학습</translation>
    </message>
    <message>
        <source>%1: keeps general knowledge</source>
        <translation>%1: 일반 지식 유지</translation>
    </message>
</context>
<context>
    <name>phototune::ui::SetupPage</name>
    <message>
        <source>Setup</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>이 컴퓨터</translation>
    </message>
    <message>
        <source>Choose what to train: the studio measures this computer, predicts the memory and time of a plan before anything starts, and recommends the best plan that fits.</source>
        <translation>무엇을 학습할지 고르세요. 스튜디오가 이 컴퓨터를 측정하고, 시작하기 전에 계획에 필요한 메모리와 시간을 예측하며, 들어맞는 가장 좋은 계획을 추천합니다.</translation>
    </message>
    <message>
        <source>Looking at this computer…</source>
        <translation>이 컴퓨터를 살펴보는 중…</translation>
    </message>
    <message>
        <source>Could not look at this computer: %1</source>
        <translation>이 컴퓨터를 살펴보지 못했습니다: %1</translation>
    </message>
    <message>
        <source>The plan</source>
        <translation>계획</translation>
    </message>
    <message>
        <source>Fastest</source>
        <translation>가장 빠르게</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>균형</translation>
    </message>
    <message>
        <source>Best quality</source>
        <translation>최고 품질</translation>
    </message>
    <message>
        <source>Fastest trains only the image side at a small rank; balanced trains both sides on the largest model that stays quick; best quality takes the largest model and rank that fit, and the most time.</source>
        <translation>가장 빠르게는 작은 랭크로 이미지 쪽만 학습하고, 균형은 빠르게 돌아가는 가장 큰 모델에서 양쪽을 모두 학습하며, 최고 품질은 들어맞는 가장 큰 모델과 랭크를 쓰고 시간도 가장 오래 걸립니다.</translation>
    </message>
    <message>
        <source>The CLIP model to adapt. Larger models learn more from your photos and need more memory and time; a model that is not downloaded yet downloads once into the Hugging Face cache.</source>
        <translation>조정할 CLIP 모델입니다. 큰 모델일수록 내 사진에서 더 많이 배우지만 메모리와 시간이 더 듭니다. 아직 다운로드하지 않은 모델은 Hugging Face 캐시에 한 번만 다운로드됩니다.</translation>
    </message>
    <message>
        <source>Model folder…</source>
        <translation>모델 폴더…</translation>
    </message>
    <message>
        <source>Use a Hugging Face CLIP folder on disk (config.json, model.safetensors, vocab.json, merges.txt).</source>
        <translation>디스크에 있는 Hugging Face CLIP 폴더(config.json, model.safetensors, vocab.json, merges.txt)를 사용합니다.</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>다운로드</translation>
    </message>
    <message>
        <source>Download the model&apos;s files into the Hugging Face cache (~/.cache/huggingface), where Python tools find them too. Resumes if interrupted.</source>
        <translation>모델 파일을 Hugging Face 캐시(~/.cache/huggingface)에 다운로드합니다. Python 도구에서도 이 파일을 찾을 수 있습니다. 중단되면 이어서 받습니다.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Stop the download; what has arrived is kept and the next download resumes from it.</source>
        <translation>다운로드를 중지합니다. 받은 부분은 남겨 두며 다음 다운로드는 거기서부터 이어집니다.</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>계획하는 중…</translation>
    </message>
    <message>
        <source>Use this plan</source>
        <translation>이 계획 사용</translation>
    </message>
    <message>
        <source>Take this plan to the Train step.</source>
        <translation>이 계획을 학습 단계로 가져갑니다.</translation>
    </message>
    <message>
        <source>Goal</source>
        <translation>목표</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>고급</translation>
    </message>
    <message>
        <source>Override the plan; memory and time are estimated again as you change anything.</source>
        <translation>계획을 직접 조정합니다. 무엇이든 바꾸면 메모리와 시간을 다시 예측합니다.</translation>
    </message>
    <message>
        <source>LoRA rank: how much the adapter can learn. Memory and file size grow with it (a few MiB per step of 8 on ViT-B); time barely changes.</source>
        <translation>LoRA 랭크: 어댑터가 배울 수 있는 양입니다. 랭크에 따라 메모리와 파일 크기가 커지며(ViT-B에서 8 늘 때마다 몇 MiB), 시간은 거의 변하지 않습니다.</translation>
    </message>
    <message>
        <source>Photos per step. CLIP learns by telling each photo from the others in its batch, so larger is better (32 or more); activation memory grows in proportion.</source>
        <translation>스텝당 사진 수입니다. CLIP은 각 사진을 같은 배치의 다른 사진과 구별하며 배우므로 클수록 좋습니다(32 이상). 활성화 메모리는 비례해서 늘어납니다.</translation>
    </message>
    <message>
        <source>Split each batch into this many parts: the same negatives per photo with 1/N of the activation memory, for one extra forward pass of time.</source>
        <translation>각 배치를 이 개수만큼 나눕니다. 사진당 네거티브 수는 그대로이고 활성화 메모리는 1/N로 줄며, 대신 순전파 한 번만큼 시간이 더 걸립니다.</translation>
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation>fp32(정확)</translation>
    </message>
    <message>
        <source>bf16 (fast on recent GPUs and CPUs)</source>
        <translation>bf16(최신 GPU 및 CPU에서 빠름)</translation>
    </message>
    <message>
        <source>fp16 (CUDA only)</source>
        <translation>fp16(CUDA 전용)</translation>
    </message>
    <message>
        <source>Half precision roughly halves activation memory and is 2-4x faster where the hardware has it; elsewhere it is emulated and slower. Weights stay in fp32.</source>
        <translation>하프 정밀도는 활성화 메모리를 약 절반으로 줄이고, 하드웨어가 지원하면 2~4배 빠릅니다. 지원하지 않으면 에뮬레이션되어 더 느립니다. 가중치는 fp32로 유지됩니다.</translation>
    </message>
    <message>
        <source>Gradient checkpointing</source>
        <translation>그래디언트 체크포인팅</translation>
    </message>
    <message>
        <source>Keep only each layer&apos;s input and recompute the rest during backward: most of the activation memory saved, for about 40 % more time.</source>
        <translation>각 레이어의 입력만 남기고 나머지는 역전파 중에 다시 계산합니다. 활성화 메모리를 대부분 절약하는 대신 시간이 약 40 % 더 걸립니다.</translation>
    </message>
    <message>
        <source>Images and text</source>
        <translation>이미지와 텍스트</translation>
    </message>
    <message>
        <source>Images only (text cached)</source>
        <translation>이미지만(텍스트는 캐시)</translation>
    </message>
    <message>
        <source>Text only (images cached)</source>
        <translation>텍스트만(이미지는 캐시)</translation>
    </message>
    <message>
        <source>Which side of CLIP the adapter changes. One side only is faster and smaller: the other side&apos;s embeddings are computed once and cached.</source>
        <translation>어댑터가 바꿀 CLIP의 쪽입니다. 한쪽만 학습하면 더 빠르고 작습니다. 다른 쪽의 임베딩은 한 번 계산해 캐시합니다.</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>this computer&apos;s free memory</source>
        <translation>이 컴퓨터의 여유 메모리</translation>
    </message>
    <message>
        <source>The memory the run may use. Lower it to leave room for other programs, or to plan for another machine.</source>
        <translation>학습에 쓸 수 있는 메모리입니다. 다른 프로그램을 위해 여유를 남기거나 다른 컴퓨터를 기준으로 계획하려면 낮추세요.</translation>
    </message>
    <message>
        <source>LoRA rank</source>
        <translation>LoRA 랭크</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>배치</translation>
    </message>
    <message>
        <source>Accumulation</source>
        <translation>누적</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습 대상</translation>
    </message>
    <message>
        <source>Memory budget</source>
        <translation>메모리 한도</translation>
    </message>
    <message>
        <source>Demo model (small, untrained — not a pretrained CLIP)</source>
        <translation>데모 모델(작고 학습되지 않음 — 사전 학습된 CLIP 아님)</translation>
    </message>
    <message>
        <source>made on this computer; learns only from your photos</source>
        <translation>이 컴퓨터에서 만듦, 내 사진으로만 학습</translation>
    </message>
    <message>
        <source> — download</source>
        <translation> — 다운로드 필요</translation>
    </message>
    <message>
        <source> — downloaded</source>
        <translation> — 다운로드됨</translation>
    </message>
    <message>
        <source> (research use only)</source>
        <translation> (연구용 전용)</translation>
    </message>
    <message>
        <source>No plan fits: %1</source>
        <translation>들어맞는 계획이 없습니다: %1</translation>
    </message>
    <message>
        <source>The demo model with the demo&apos;s settings: LoRA rank %1 on every layer (close to training the whole small model, which an untrained model needs), batch %2, %3 epochs: %4 of %5.</source>
        <translation>데모 설정의 데모 모델: 모든 레이어에 LoRA 랭크 %1(학습되지 않은 모델에 필요한, 작은 모델 전체 학습에 가까운 설정), 배치 %2, %3에포크: %5 중 %4.</translation>
    </message>
    <message>
        <source>Cannot estimate this plan: %1</source>
        <translation>이 계획을 예측할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Your plan: %1 at batch %2%3, rank %4, %5: %6 of %7.</source>
        <translation>내 계획: %1, 배치 %2%3, 랭크 %4, %5: %7 중 %6.</translation>
    </message>
    <message>
        <source> with checkpointing</source>
        <translation> (체크포인팅 사용)</translation>
    </message>
    <message>
        <source>Predicted: %1 per step, %2 per epoch (%3 steps), %4 in all.</source>
        <translation>예상: 스텝당 %1, 에포크당 %2(%3스텝), 전체 %4.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 초</translation>
    </message>
    <message>
        <source>%1&apos;s licence allows research use only: %2</source>
        <translation>%1의 라이선스는 연구 목적 사용만 허용합니다: %2</translation>
    </message>
    <message>
        <source>This plan needs more memory than this computer can give.</source>
        <translation>이 계획은 이 컴퓨터가 제공할 수 있는 것보다 많은 메모리가 필요합니다.</translation>
    </message>
    <message>
        <source>Too large for this computer: turn on gradient checkpointing and it fits.</source>
        <translation>이 컴퓨터에는 너무 큽니다. 그래디언트 체크포인팅을 켜면 들어맞습니다.</translation>
    </message>
    <message>
        <source>Too large for this computer: with gradient checkpointing, batch %1 fits (use accumulation to keep more negatives).</source>
        <translation>이 컴퓨터에는 너무 큽니다. 그래디언트 체크포인팅을 켜면 배치 %1까지 들어맞습니다(네거티브를 더 유지하려면 누적을 사용하세요).</translation>
    </message>
    <message>
        <source>Too large for this computer even at batch 1: choose a smaller model.</source>
        <translation>배치 1로도 이 컴퓨터에는 너무 큽니다. 더 작은 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>Choose a Hugging Face CLIP folder</source>
        <translation>Hugging Face CLIP 폴더 선택</translation>
    </message>
    <message>
        <source>%1 has no config.json: choose the folder of a Hugging Face CLIP model.</source>
        <translation>%1에 config.json이 없습니다. Hugging Face CLIP 모델 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>see the model&apos;s own licence</source>
        <translation>모델 자체의 라이선스 참조</translation>
    </message>
    <message>
        <source>Not a pretrained CLIP: it knows nothing before training, so it shows how the studio works, not what a real model learns. For real use choose OpenAI CLIP ViT-B/32 (about 600 MB) and Download, or give a model folder.</source>
        <translation>사전 학습된 CLIP이 아닙니다. 학습 전에는 아무것도 모르므로, 실제 모델이 무엇을 배우는지가 아니라 스튜디오가 어떻게 동작하는지를 보여 줍니다. 실제로 쓰려면 OpenAI CLIP ViT-B/32(약 600 MB)를 고르고 다운로드하거나 모델 폴더를 지정하세요.</translation>
    </message>
    <message>
        <source>Not downloaded yet. Licence: %1.</source>
        <translation>아직 다운로드하지 않았습니다. 라이선스: %1.</translation>
    </message>
    <message>
        <source>In %1. Licence: %2.</source>
        <translation>위치: %1. 라이선스: %2.</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>%1 다운로드 중…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>The download stopped: %1</source>
        <translation>다운로드가 중지되었습니다: %1</translation>
    </message>
</context>
<context>
    <name>phototune::ui::TrainPage</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1시간 %2분</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1분 %2초</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Train the LoRA adapter on your photos. The loss should fall; &quot;learns your photos&quot; should rise while &quot;keeps general knowledge&quot; stays near where it started. You can pause, or stop and resume later from the last checkpoint.</source>
        <translation>내 사진으로 LoRA 어댑터를 학습합니다. 손실은 내려가야 하고, &quot;내 사진 학습&quot;은 올라가는 동안 &quot;일반 지식 유지&quot;는 처음 값 근처에 머물러야 합니다. 일시 중지하거나, 중지한 뒤 나중에 마지막 체크포인트부터 이어서 학습할 수 있습니다.</translation>
    </message>
    <message>
        <source>The run&apos;s plan, warnings, checkpoints and outcome.</source>
        <translation>학습의 계획, 경고, 체크포인트, 결과입니다.</translation>
    </message>
    <message>
        <source>Checkpoint of step %1 written (the best so far): %2</source>
        <translation>%1스텝 체크포인트를 저장했습니다(현재까지 최고): %2</translation>
    </message>
    <message>
        <source>Checkpoint of step %1 written: %2</source>
        <translation>%1스텝 체크포인트를 저장했습니다: %2</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>학습 시작</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 중지</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Stop after the current step; a checkpoint is written so the run can be resumed.</source>
        <translation>현재 스텝이 끝나면 중지합니다. 체크포인트를 저장하므로 나중에 이어서 학습할 수 있습니다.</translation>
    </message>
    <message>
        <source>Stopping after the current step…</source>
        <translation>현재 스텝이 끝나면 중지하는 중…</translation>
    </message>
    <message>
        <source>Loss per step (dots), its moving average (line) and the learning rate (right axis). Drag to pan, wheel to zoom, double-click to fit.</source>
        <translation>스텝별 손실(점), 이동 평균(선), 학습률(오른쪽 축)입니다. 끌어서 이동하고, 휠로 확대/축소하고, 두 번 클릭하면 전체가 보이게 맞춥니다.</translation>
    </message>
    <message>
        <source>step</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>loss (average)</source>
        <translation>손실(평균)</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>로그 눈금</translation>
    </message>
    <message>
        <source>Show the loss on a logarithmic axis, where late small improvements stay visible.</source>
        <translation>손실을 로그 축으로 표시하여 후반의 작은 개선도 잘 보이게 합니다.</translation>
    </message>
    <message>
        <source>Save chart as PNG…</source>
        <translation>차트를 PNG로 저장…</translation>
    </message>
    <message>
        <source>Save the loss chart as a PNG image.</source>
        <translation>손실 차트를 PNG 이미지로 저장합니다.</translation>
    </message>
    <message>
        <source>&quot;Learns your photos&quot;: zero-shot accuracy on your held-out photos. &quot;Keeps general knowledge&quot;: accuracy on a generic probe set. The star marks the best checkpoint.</source>
        <translation>&quot;내 사진 학습&quot;: 따로 떼어 둔 내 사진에 대한 제로샷 정확도입니다. &quot;일반 지식 유지&quot;: 일반 검사 세트에 대한 정확도입니다. 별표는 최고 체크포인트를 나타냅니다.</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>정확도(%)</translation>
    </message>
    <message>
        <source>learns your photos</source>
        <translation>내 사진 학습</translation>
    </message>
    <message>
        <source>keeps general knowledge</source>
        <translation>일반 지식 유지</translation>
    </message>
    <message>
        <source>best checkpoint</source>
        <translation>최고 체크포인트</translation>
    </message>
    <message>
        <source>Steps done of the run&apos;s steps.</source>
        <translation>학습의 전체 스텝 중 완료한 스텝입니다.</translation>
    </message>
    <message>
        <source>Photos trained on per second at the latest step.</source>
        <translation>최근 스텝에서 초당 학습한 사진 수입니다.</translation>
    </message>
    <message>
        <source>Estimated time until the last step.</source>
        <translation>마지막 스텝까지 남은 예상 시간입니다.</translation>
    </message>
    <message>
        <source>Memory the studio&apos;s process holds now.</source>
        <translation>스튜디오 프로세스가 현재 사용 중인 메모리입니다.</translation>
    </message>
    <message>
        <source>Reading the run in %1…</source>
        <translation>%1의 학습을 읽는 중…</translation>
    </message>
    <message>
        <source>Cannot resume: %1</source>
        <translation>이어서 학습할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>%1 the run in %2</source>
        <translation>%2에서 학습을 %1</translation>
    </message>
    <message>
        <source>Resuming</source>
        <translation>이어서 진행합니다</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>시작합니다</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>학습 진행 중</translation>
    </message>
    <message>
        <source>Training is running: stop it (a checkpoint is written, so it can be resumed) and close?</source>
        <translation>학습이 진행 중입니다. 학습을 중지하고(체크포인트를 저장하므로 이어서 학습할 수 있습니다) 닫을까요?</translation>
    </message>
    <message>
        <source>Plan: %1 photos to train on, %2 held out, %3 labels; %4 steps of %5 photos (%6 epochs), evaluated every %7 steps, on %8.</source>
        <translation>계획: 학습용 사진 %1장, 평가용 %2장, 레이블 %3개. %5장씩 %4스텝(%6에포크), %7스텝마다 평가, 장치: %8.</translation>
    </message>
    <message>
        <source>Continuing after step %1.</source>
        <translation>%1스텝 이후부터 계속합니다.</translation>
    </message>
    <message>
        <source>Step %1 / %2</source>
        <translation>스텝 %1 / %2</translation>
    </message>
    <message>
        <source>%1 images/s</source>
        <translation>초당 %1장</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>남은 시간 %1</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>메모리: %1</translation>
    </message>
    <message>
        <source>Memory: unknown</source>
        <translation>메모리: 알 수 없음</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>기본 모델</translation>
    </message>
    <message>
        <source>Evaluation at step %1</source>
        <translation>%1스텝 평가</translation>
    </message>
    <message>
        <source>: learns your photos %1 %</source>
        <translation>: 내 사진 학습 %1 %</translation>
    </message>
    <message>
        <source>, keeps general knowledge %1 %</source>
        <translation>, 일반 지식 유지 %1 %</translation>
    </message>
    <message>
        <source> (best so far)</source>
        <translation> (현재까지 최고)</translation>
    </message>
    <message>
        <source>General knowledge dropped sharply: try a lower learning rate, a smaller rank or fewer steps.</source>
        <translation>일반 지식이 크게 떨어졌습니다. 학습률을 낮추거나, 랭크를 줄이거나, 스텝 수를 줄여 보세요.</translation>
    </message>
    <message>
        <source>Finished %1 steps in %2. The adapter is in %3.</source>
        <translation>%2 동안 %1스텝을 마쳤습니다. 어댑터는 %3에 있습니다.</translation>
    </message>
    <message>
        <source>Stopped after step %1 of %2; resume it later from its last checkpoint.</source>
        <translation>%2스텝 중 %1스텝에서 중지했습니다. 나중에 마지막 체크포인트부터 이어서 학습하세요.</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>학습 실패: %1</translation>
    </message>
    <message>
        <source>Best checkpoint: step %1 (learns your photos %2 %).</source>
        <translation>최고 체크포인트: %1스텝(내 사진 학습 %2 %).</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>경고: %1</translation>
    </message>
    <message>
        <source>Choose photos and a model in the earlier steps first.</source>
        <translation>먼저 앞 단계에서 사진과 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>이어서 학습</translation>
    </message>
    <message>
        <source>Continue training from where it paused.</source>
        <translation>일시 중지한 지점부터 학습을 계속합니다.</translation>
    </message>
    <message>
        <source>Pause after the current step; nothing is lost.</source>
        <translation>현재 스텝이 끝나면 일시 중지합니다. 잃는 것은 없습니다.</translation>
    </message>
    <message>
        <source>Save chart as PNG</source>
        <translation>차트를 PNG로 저장</translation>
    </message>
    <message>
        <source>loss.png</source>
        <translation>loss.png</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 이미지(*.png)</translation>
    </message>
    <message>
        <source>Could not save the chart to %1</source>
        <translation>차트를 %1에 저장하지 못했습니다</translation>
    </message>
    <message>
        <source>Start a new training run with the settings of the Setup step (Ctrl+Enter).</source>
        <translation>설정 단계의 설정으로 새 학습을 시작합니다(Ctrl+Enter).</translation>
    </message>
</context>
</TS>
