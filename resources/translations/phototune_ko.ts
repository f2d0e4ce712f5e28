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
        <source>Open the built-in demo photos (the default).</source>
        <translation>내장 데모 사진을 엽니다(기본값).</translation>
    </message>
    <message>
        <source>A folder of photos, one sub-folder per label.</source>
        <translation>사진 폴더(레이블마다 하위 폴더 하나).</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>데모</translation>
    </message>
    <message>
        <source>%1 is not a folder; give a folder of photos.</source>
        <translation>%1은(는) 폴더가 아닙니다. 사진 폴더를 지정하세요.</translation>
    </message>
    <message>
        <source>The demo photos were not found; set PHOTOTUNE_RESOURCES to the studio&apos;s resources folder.</source>
        <translation>데모 사진을 찾지 못했습니다. PHOTOTUNE_RESOURCES를 스튜디오의 리소스 폴더로 설정하세요.</translation>
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
</context>
<context>
    <name>phototune::ui::MainWindow</name>
    <message>
        <source>PhotoTune Studio — %1</source>
        <translation>PhotoTune Studio — %1</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>This step will train the LoRA adapter in the background while a live loss curve and a zero-shot preview gallery update; it is not built yet.</source>
        <translation>이 단계에서는 실시간 손실 곡선과 제로샷 미리보기 갤러리를 보여 주면서 백그라운드에서 LoRA 어댑터를 학습합니다. 아직 만들어지지 않았습니다.</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>This step will save the trained adapter in the PEFT layout, or merged into a full model, for use in other tools; it is not built yet.</source>
        <translation>이 단계에서는 학습한 어댑터를 PEFT 형식으로, 또는 전체 모델에 병합해 저장하여 다른 도구에서 쓸 수 있게 합니다. 아직 만들어지지 않았습니다.</translation>
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
        <source>&amp;Add folder…</source>
        <translation>폴더 추가(&amp;A)…</translation>
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
        <source>Could not read the photos&apos; captions: %1</source>
        <translation>사진의 캡션을 읽지 못했습니다: %1</translation>
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
</context>
<context>
    <name>phototune::ui::SetupPage</name>
    <message>
        <source>Setup</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>This step will choose the CLIP model size and LoRA rank that fit this computer&apos;s memory and time; for now it shows what this computer and this build of the studio can use.</source>
        <translation>이 단계에서는 이 컴퓨터의 메모리와 시간에 맞는 CLIP 모델 크기와 LoRA 랭크를 고릅니다. 지금은 이 컴퓨터와 이 스튜디오 빌드가 쓸 수 있는 것을 보여 줍니다.</translation>
    </message>
    <message>
        <source>Probing LibTorch, CUDA and BLAS…</source>
        <translation>LibTorch, CUDA, BLAS를 확인하는 중…</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>이 컴퓨터</translation>
    </message>
</context>
</TS>
