from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("name", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("hits", models.IntegerField(default=0)),
                ("window_end", models.FloatField(db_index=True)),
                ("locked_until", models.FloatField(default=0)),
            ],
            options={"db_table": "ratelimit_counter"},
        ),
    ]
