from luntan.zh.segment import char_tokens, word_tokens, words


def test_words_are_jieba_words_without_punctuation():
    assert words("我们今天开会，讨论经济发展。") == ["我们", "今天", "开会", "讨论", "经济", "发展"]


def test_tokens_are_folded_for_script_width_and_case():
    assert word_tokens("經濟發展") == word_tokens("经济发展")
    assert "ai" in word_tokens("ＡＩ大会")
    assert char_tokens("阿爾特曼 ＡＩ 2024年") == ["阿", "尔", "特", "曼", "ai", "2024", "年"]


def test_letters_inside_cjk_text_stay_one_token():
    assert char_tokens("用GPT4写") == ["用", "gpt4", "写"]
